"""Runs a Python program with the multiprocessing start method forced to spawn (as on Windows and macOS)."""
import multiprocessing
import runpy
import sys

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    target = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(target, run_name="__main__")
