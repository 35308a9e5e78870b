"""CPython reference for `make bench`: the same trial-division primality test the playground
runs as WASM, over the same 20 numbers, one after another. Prints the total wall time;
with `--threads N`, then the same numbers on N threads sharing one queue (threads.py's shape).

Written for this project (the book's scripts stay upstream); the algorithm and the numbers are
the lesson's facts: n < 2 is not prime, 2 is, even numbers are not, else try odd divisors up to
isqrt(n).
"""

import math
import queue
import sys
import threading
import time

NUMBERS = [
    2, 142702110479723, 299593572317531, 3333333333333301, 3333333333333333,
    3333335652092209, 4444444444444423, 4444444444444444, 4444444488888889, 5555553133149889,
    5555555555555503, 5555555555555555, 6666666666666666, 6666666666666719, 6666667141414921,
    7777777536340681, 7777777777777753, 7777777777777777, 9999999999999917, 9999999999999999,
]


def check(n: int) -> bool:
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    for divisor in range(3, math.isqrt(n) + 1, 2):
        if n % divisor == 0:
            return False
    return True


def check_with_threads(numbers: list[int], count: int) -> None:
    """threads.py's shape: `count` threads take numbers from one queue until it is empty."""
    jobs: queue.SimpleQueue[int] = queue.SimpleQueue()
    for n in numbers:
        jobs.put(n)

    def worker() -> None:
        while True:
            try:
                n = jobs.get_nowait()
            except queue.Empty:
                return
            check(n)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    start = time.perf_counter()
    for n in NUMBERS:
        check(n)
    sequential = time.perf_counter() - start
    print(f"{len(NUMBERS)} numbers in {sequential:.2f}s on CPython {sys.version.split()[0]}")
    if len(sys.argv) == 3 and sys.argv[1] == "--threads":
        count = int(sys.argv[2])
        start = time.perf_counter()
        check_with_threads(NUMBERS, count)
        threaded = time.perf_counter() - start
        print(f"{count} threads: {threaded:.2f}s, {sequential / threaded:.2f}x sequential's speed")


if __name__ == "__main__":
    main()
