"""AI mock-interview platform for system design interviews."""

import os

# The sentence encoder multiplies small matrices for each answer. OpenBLAS would start a thread
# per core for every one of them, in every session's thread at once: with many candidates on
# two cores that oversubscription made turns tens of times slower (`bench load`). One BLAS
# thread per caller; set before NumPy is first imported, unless the user set it already.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
