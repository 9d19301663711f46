//===- NpyTest.cpp - Reading and writing .npy files -------------------------===//

#include "dyt/Runtime/Npy.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace mlir::dyt;

namespace {

class NpyTest : public ::testing::Test {
protected:
  std::string path(const std::string &name) {
    return ::testing::TempDir() + "npytest-" + std::to_string(getpid()) +
           "-" + name;
  }
  void writeRaw(const std::string &file, const std::string &bytes) {
    std::ofstream(file, std::ios::binary) << bytes;
  }
  /// A version 1.0 file with `header` (padded) and `data`.
  std::string npy(std::string header, const std::string &data) {
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string out = std::string("\x93NUMPY\x01\x00", 8);
    out += char(header.size() & 0xff);
    out += char(header.size() >> 8);
    return out + header + data;
  }
  std::string readError(const std::string &file) {
    NpyArray array;
    std::string error;
    EXPECT_FALSE(readNpy(file, array, error));
    return error;
  }
};

TEST_F(NpyTest, RoundTripsEveryDTypeAndRank) {
  for (NpyDType dtype : {NpyDType::Float16, NpyDType::Float32,
                         NpyDType::Float64, NpyDType::Int32, NpyDType::Int64}) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {3}, {2, 3}, {2, 1, 4}, {0, 5}}) {
      NpyArray array;
      array.dtype = dtype;
      array.shape = shape;
      array.data.resize(array.numElements() * npyDTypeSize(dtype));
      for (size_t i = 0; i < array.data.size(); ++i)
        array.data[i] = char(i * 7 + 1);
      std::string file = path("roundtrip.npy"), error;
      ASSERT_TRUE(writeNpy(file, array, error)) << error;
      NpyArray back;
      ASSERT_TRUE(readNpy(file, back, error)) << error;
      EXPECT_EQ(back.dtype, dtype);
      EXPECT_EQ(back.shape, shape);
      EXPECT_EQ(back.data, array.data);
      std::remove(file.c_str());
    }
  }
}

TEST_F(NpyTest, ReadsWhatNumpyWrites) {
  // np.save of np.arange(3, dtype=np.int32) (numpy's own spacing).
  std::string file = path("numpy.npy");
  std::string data("\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00", 12);
  writeRaw(file, npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", data));
  NpyArray array;
  std::string error;
  ASSERT_TRUE(readNpy(file, array, error)) << error;
  EXPECT_EQ(array.dtype, NpyDType::Int32);
  EXPECT_EQ(array.shape, std::vector<int64_t>{3});
  EXPECT_EQ(array.data.size(), 12u);
  std::remove(file.c_str());
}

TEST_F(NpyTest, RejectsBadFilesWithAReason) {
  std::string file = path("bad.npy");
  writeRaw(file, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
                     std::string(8, '\0')));
  EXPECT_NE(readError(file).find("truncated data: shape (4,) of float32 needs "
                                 "16 bytes, the file has 8"),
            std::string::npos);
  writeRaw(file, npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                     std::string(16, '\0')));
  EXPECT_NE(readError(file).find("Fortran-order"), std::string::npos);
  writeRaw(file, npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                     std::string(4, '\0')));
  EXPECT_NE(readError(file).find("unsupported dtype '>f4'"), std::string::npos);
  writeRaw(file, npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                     std::string(8, '\0')));
  EXPECT_NE(readError(file).find("unsupported dtype '<c8'"), std::string::npos);
  writeRaw(file, "not a numpy file at all");
  EXPECT_NE(readError(file).find("magic"), std::string::npos);
  writeRaw(file, std::string("\x93NUMPY\x01\x00\xff\xff", 10) + "{'descr'");
  EXPECT_NE(readError(file).find("truncated header"), std::string::npos);
  writeRaw(file, std::string("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12));
  EXPECT_NE(readError(file).find("header of 2147483647 bytes"),
            std::string::npos);
  writeRaw(file, npy("{'descr': '<f4', 'fortran_order': False, "
                     "'shape': (99999999999, 99999999999, 99999999999), }",
                     ""));
  EXPECT_NE(readError(file).find("too large"), std::string::npos);
  writeRaw(file, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }",
                     ""));
  EXPECT_NE(readError(file).find("malformed dimension '-3'"), std::string::npos);
  EXPECT_NE(readError(path("missing.npy")).find("cannot open"),
            std::string::npos);
  std::remove(file.c_str());
}

TEST_F(NpyTest, FailedWriteLeavesNoFile) {
  NpyArray array;
  array.shape = {2};
  array.data.resize(8);
  std::string error;
  EXPECT_FALSE(writeNpy("/nonexistent-dir/out.npy", array, error));
  EXPECT_NE(error.find("cannot create"), std::string::npos);
}

} // namespace
