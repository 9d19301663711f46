# -*- Python -*-
# Runs the GoogleTest binaries (build/unittests/*Tests) as a lit suite.

import os

import lit.formats

config.name = "DYT-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.dyt_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")

# ASan + UBSan build: the same runtime options as the main suite.
import sys
sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
import lit_sanitizers
lit_sanitizers.configure(config)
