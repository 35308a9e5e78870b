# procs.py-style (Fluent Python 2e, ch. 19): N worker processes share one jobs queue.
import sys
from multiprocessing import Process, SimpleQueue, cpu_count
from time import perf_counter
from typing import NamedTuple

from sequential import NUMBERS, is_prime

class Result(NamedTuple):
    n: int
    prime: bool
    elapsed: float

POISON_PILL = 0                   # 0 ends a worker, so 0 itself can't be checked;
END_MARKER = Result(0, False, 0)  # the browser sends a separate `end` message instead

def check(n: int) -> Result:
    t0 = perf_counter()
    prime = is_prime(n)
    return Result(n, prime, perf_counter() - t0)

def worker(jobs: SimpleQueue, results: SimpleQueue) -> None:
    while (n := jobs.get()) != POISON_PILL:  # whichever worker is idle takes the next job
        results.put(check(n))
    results.put(END_MARKER)

def start_jobs(procs: int, jobs: SimpleQueue, results: SimpleQueue) -> None:
    for n in NUMBERS:
        jobs.put(n)
    for _ in range(procs):
        Process(target=worker, args=(jobs, results)).start()
        jobs.put(POISON_PILL)  # one per worker, after all the numbers

def report(procs: int, results: SimpleQueue) -> int:
    checked = procs_done = 0
    while procs_done < procs:  # done when every worker has sent its end marker
        n, prime, elapsed = results.get()
        if (n, prime, elapsed) == END_MARKER:
            procs_done += 1
            continue
        checked += 1
        label = 'P' if prime else ' '
        print(f'{n:16}  {label} {elapsed:9.6f}s')  # in completion order
    return checked

def main() -> None:
    procs = int(sys.argv[1]) if len(sys.argv) > 1 else cpu_count()
    print(f'Checking {len(NUMBERS)} numbers with {procs} processes:')
    t0 = perf_counter()
    jobs: SimpleQueue = SimpleQueue()
    results: SimpleQueue = SimpleQueue()
    start_jobs(procs, jobs, results)
    checked = report(procs, results)
    print(f'{checked} checks in {perf_counter() - t0:.2f}s')

if __name__ == '__main__':
    main()
