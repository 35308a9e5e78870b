# spinner_proc.py-style: the CPU-bound check runs in another process.
import itertools
import time
from concurrent.futures import ProcessPoolExecutor
from threading import Event, Thread

from primes import is_prime  # the same naive trial division

def spin(msg: str, done: Event) -> None:
    for char in itertools.cycle(r'\|/-'):
        status = f'\r{char} {msg}'
        print(status, end='', flush=True)
        if done.wait(.1):
            break
    blanks = ' ' * len(status)
    print(f'\r{blanks}\r', end='')

def supervisor(n: int) -> bool:
    done = Event()
    spinner = Thread(target=spin, args=('thinking!', done))
    print(f'spinner object: {spinner}')
    spinner.start()
    with ProcessPoolExecutor(max_workers=1) as pool:
        result = pool.submit(is_prime, n).result()  # another core does the work
    done.set()
    spinner.join()
    return result

def main() -> None:
    n = 5_000_111_000_222_021
    prime = supervisor(n)
    print(f'{n:,} is {"" if prime else "not "}prime')

if __name__ == '__main__':
    main()
