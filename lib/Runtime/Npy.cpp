//===- Npy.cpp - Reading and writing numpy .npy files ----------------------===//
//
// Format: "\x93NUMPY", major, minor, header length (2 bytes in 1.0, 4 bytes
// in 2.0/3.0, little endian), then a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces to a multiple of 64 bytes and ended by '\n', then data.
//
//===----------------------------------------------------------------------===//

#include "dyt/Runtime/Npy.h"

#include "dyt/Runtime/Memory.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

using namespace mlir::dyt;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// numpy itself refuses headers over 10000 bytes unless asked otherwise; a
// huge header is a malformed or hostile file, not a big array.
constexpr uint32_t kMaxHeaderSize = 1 << 16;

struct DTypeInfo {
  NpyDType dtype;
  const char *descr;
  const char *name;
  size_t size;
};

const DTypeInfo kDTypes[] = {
    {NpyDType::Float16, "<f2", "float16", 2},
    {NpyDType::Float32, "<f4", "float32", 4},
    {NpyDType::Float64, "<f8", "float64", 8},
    {NpyDType::Int32, "<i4", "int32", 4},
    {NpyDType::Int64, "<i8", "int64", 8},
};

const DTypeInfo &info(NpyDType dtype) {
  for (const DTypeInfo &entry : kDTypes)
    if (entry.dtype == dtype)
      return entry;
  return kDTypes[1];
}

/// The value of `key` in the header dict, as raw text up to the next
/// top-level ',' or '}' (a shape tuple is kept whole).
bool findValue(const std::string &header, const std::string &key,
               std::string &value) {
  size_t pos = header.find("'" + key + "'");
  if (pos == std::string::npos)
    return false;
  pos = header.find(':', pos);
  if (pos == std::string::npos)
    return false;
  ++pos;
  int depth = 0;
  size_t end = pos;
  for (; end < header.size(); ++end) {
    char c = header[end];
    if (c == '(')
      ++depth;
    else if (c == ')')
      --depth;
    else if ((c == ',' || c == '}') && depth == 0)
      break;
  }
  value = header.substr(pos, end - pos);
  size_t first = value.find_first_not_of(" \t");
  size_t last = value.find_last_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  return true;
}

bool parseShape(const std::string &text, std::vector<int64_t> &shape,
                std::string &error) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
    error = "malformed shape '" + text + "' in the header";
    return false;
  }
  std::string inner = text.substr(1, text.size() - 2);
  std::stringstream stream(inner);
  std::string item;
  while (std::getline(stream, item, ',')) {
    size_t first = item.find_first_not_of(" \t");
    if (first == std::string::npos)
      continue; // "(3,)" has an empty last item
    item = item.substr(first, item.find_last_not_of(" \t") - first + 1);
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos ||
        item.size() > 18) {
      error = "malformed dimension '" + item + "' in shape " + text;
      return false;
    }
    shape.push_back(std::stoll(item));
  }
  return true;
}

std::string describeShape(const std::vector<int64_t> &shape) {
  // Python's tuple syntax, as numpy writes it: (), (3,), (2, 3).
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

} // namespace

const char *mlir::dyt::npyDTypeName(NpyDType dtype) { return info(dtype).name; }
size_t mlir::dyt::npyDTypeSize(NpyDType dtype) { return info(dtype).size; }

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool mlir::dyt::readNpy(const std::string &path, NpyArray &array,
                  std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  auto fail = [&](const std::string &what) {
    error = "'" + path + "' is not a usable .npy file: " + what;
    return false;
  };
  char magic[kMagicSize + 2];
  if (!in.read(magic, sizeof(magic)) ||
      std::memcmp(magic, kMagic, kMagicSize) != 0)
    return fail("missing the \\x93NUMPY magic");
  unsigned major = static_cast<unsigned char>(magic[6]);
  uint32_t headerSize = 0;
  if (major == 1) {
    unsigned char bytes[2];
    if (!in.read(reinterpret_cast<char *>(bytes), 2))
      return fail("truncated header length");
    headerSize = bytes[0] | (bytes[1] << 8);
  } else if (major == 2 || major == 3) {
    unsigned char bytes[4];
    if (!in.read(reinterpret_cast<char *>(bytes), 4))
      return fail("truncated header length");
    headerSize = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) |
                 (static_cast<uint32_t>(bytes[3]) << 24);
  } else {
    return fail("unsupported format version " + std::to_string(major));
  }
  if (headerSize > kMaxHeaderSize)
    return fail("header of " + std::to_string(headerSize) +
                " bytes (more than " + std::to_string(kMaxHeaderSize) + ")");
  std::string header(headerSize, '\0');
  if (!in.read(header.data(), headerSize))
    return fail("truncated header");

  std::string descr, fortran, shapeText;
  if (!findValue(header, "descr", descr) ||
      !findValue(header, "fortran_order", fortran) ||
      !findValue(header, "shape", shapeText))
    return fail("header lacks 'descr', 'fortran_order' or 'shape'");
  if (fortran != "False")
    return fail("Fortran-order arrays are not supported (save with "
                "np.ascontiguousarray)");
  if (descr.size() < 2 || (descr.front() != '\'' && descr.front() != '"'))
    return fail("malformed descr " + descr);
  descr = descr.substr(1, descr.size() - 2);
  if (descr.size() == 3 && descr[0] == '|')
    descr[0] = '<'; // byte-sized types carry no byte order
  const DTypeInfo *dtype = nullptr;
  for (const DTypeInfo &entry : kDTypes)
    if (descr == entry.descr)
      dtype = &entry;
  if (!dtype)
    return fail("unsupported dtype '" + descr +
                "' (supported: float16, float32, float64, int32, int64, "
                "little endian)");
  array.dtype = dtype->dtype;
  array.shape.clear();
  if (!parseShape(shapeText, array.shape, error))
    return fail(error);

  // Guard the size computation itself against overflow.
  uint64_t bytes = dtype->size;
  for (int64_t d : array.shape) {
    if (d != 0 && bytes > std::numeric_limits<uint64_t>::max() / 4 / d)
      return fail("shape " + describeShape(array.shape) + " is too large");
    bytes *= d;
  }
  // Compare with what the file really holds before allocating anything.
  std::streampos dataStart = in.tellg();
  in.seekg(0, std::ios::end);
  uint64_t available = static_cast<uint64_t>(in.tellg() - dataStart);
  in.seekg(dataStart);
  if (available < bytes)
    return fail("truncated data: shape " + describeShape(array.shape) +
                " of " + dtype->name + " needs " + std::to_string(bytes) +
                " bytes, the file has " + std::to_string(available));
  // A sparse file (or one on a network file system) can claim more than the
  // machine has: fail here, not in the kernel's OOM killer.
  std::string memoryError;
  if (!checkMemoryAvailable(bytes, "shape " + describeShape(array.shape) +
                                       " of " + dtype->name,
                            memoryError))
    return fail(memoryError);
  array.data.resize(bytes);
  if (bytes && !in.read(array.data.data(), bytes))
    return fail("read error");
  return true;
}

bool mlir::dyt::writeNpy(const std::string &path, const NpyArray &array,
                   std::string &error) {
  std::string header = "{'descr': '" + std::string(info(array.dtype).descr) +
                       "', 'fortran_order': False, 'shape': " +
                       describeShape(array.shape) + ", }";
  // Pad so that magic + version + length + header is a multiple of 64.
  size_t total = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  if (header.size() > 65535) {
    error = "array rank too large for a version 1.0 header";
    return false;
  }

  std::string temporary = path + ".tmp-dyt-run";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = "cannot create '" + temporary + "': " + std::strerror(errno);
      return false;
    }
    out.write(kMagic, kMagicSize);
    const char version[2] = {1, 0};
    out.write(version, 2);
    const char length[2] = {static_cast<char>(header.size() & 0xff),
                            static_cast<char>(header.size() >> 8)};
    out.write(length, 2);
    out.write(header.data(), header.size());
    out.write(array.data.data(), array.data.size());
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      error = "cannot write '" + path + "': " + std::strerror(errno);
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}
