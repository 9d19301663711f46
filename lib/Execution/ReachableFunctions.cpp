//===- ReachableFunctions.cpp - A function and what it calls ---------------===//

#include "dyt/Execution/ReachableFunctions.h"

#include "mlir/Interfaces/CallInterfaces.h"

using namespace mlir;

SmallVector<Operation *> mlir::dyt::getReachableFunctions(ModuleOp module,
                                                          StringRef name) {
  SmallVector<Operation *> funcs;
  if (Operation *func = module.lookupSymbol(name))
    funcs.push_back(func);
  DenseSet<Operation *> seen(funcs.begin(), funcs.end());
  for (size_t i = 0; i < funcs.size(); ++i)
    funcs[i]->walk([&](CallOpInterface call) {
      Operation *callee = call.resolveCallable();
      if (callee && seen.insert(callee).second)
        funcs.push_back(callee);
    });
  return funcs;
}
