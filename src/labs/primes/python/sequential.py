# sequential.py-style (Fluent Python 2e, ch. 19): check every number, one after another.
import math
import sys
from time import perf_counter
from typing import NamedTuple

NUMBERS = [
                   2,  142_702_110_479_723,   299_593_572_317_531,
   3_333_333_333_333_301, 3_333_333_333_333_333, 3_333_335_652_092_209,
   4_444_444_444_444_423, 4_444_444_444_444_444, 4_444_444_488_888_889,
   5_555_553_133_149_889, 5_555_555_555_555_503, 5_555_555_555_555_555,
   6_666_666_666_666_666, 6_666_666_666_666_719, 6_666_667_141_414_921,
   7_777_777_536_340_681, 7_777_777_777_777_753, 7_777_777_777_777_777,
   9_999_999_999_999_917, 9_999_999_999_999_999,
]

def is_prime(n: int) -> bool:  # naive on purpose: the CPU-bound workload
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    for i in range(3, math.isqrt(n) + 1, 2):
        if n % i == 0:
            return False
    return True

class Result(NamedTuple):
    prime: bool
    elapsed: float

def check(n: int) -> Result:
    t0 = perf_counter()
    prime = is_prime(n)
    return Result(prime, perf_counter() - t0)

def main() -> None:
    print(f'Checking {len(NUMBERS)} numbers sequentially:')
    t0 = perf_counter()
    for n in NUMBERS:
        prime, elapsed = check(n)
        label = 'P' if prime else ' '
        print(f'{n:16}  {label} {elapsed:9.6f}s')
    print(f'Total time: {perf_counter() - t0:.2f}s')

if __name__ == '__main__':
    sys.exit(main())
