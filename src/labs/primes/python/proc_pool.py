# proc_pool.py-style (Fluent Python 2e, ch. 20): the same checks through ProcessPoolExecutor.map.
import sys
from concurrent import futures
from time import perf_counter
from typing import NamedTuple

from sequential import NUMBERS, is_prime

class Result(NamedTuple):
    n: int
    prime: bool
    elapsed: float

def check(n: int) -> Result:
    t0 = perf_counter()
    prime = is_prime(n)
    return Result(n, prime, perf_counter() - t0)

def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else None  # None: one per CPU
    t0 = perf_counter()
    numbers = sorted(NUMBERS, reverse=True)  # the largest (often slowest) first
    with futures.ProcessPoolExecutor(workers) as executor:
        actual_workers = executor._max_workers  # type: ignore
        print(f'Checking {len(numbers)} numbers with {actual_workers} processes:')
        # map computes in parallel but yields results in submission order:
        # a slow early job holds back lines that are already done.
        for n, prime, elapsed in executor.map(check, numbers):
            label = 'P' if prime else ' '
            print(f'{n:16}  {label} {elapsed:9.6f}s')
    print(f'Total time: {perf_counter() - t0:.2f}s')

if __name__ == '__main__':
    main()
