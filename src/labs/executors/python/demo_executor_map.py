# demo_executor_map.py-style (Fluent Python 1e ch. 17 / 2e ch. 20): executor.map yields
# results in submission order; submit + as_completed yields them as they finish.
# Usage: demo_executor_map.py [DELAY ...] [--workers N] [--as-completed]
# A delay like !3 makes that call raise an error after sleeping 3 s.
import sys
from concurrent import futures
from time import sleep, strftime

def display(*args):
    print(strftime('[%H:%M:%S]'), *args)

def loiter(n, fail=False):
    tab = '\t' * int(n)
    display(f'{tab}loiter({n}): doing nothing for {n}s...')
    sleep(n)
    if fail:
        display(f'{tab}loiter({n}): raising RuntimeError.')
        raise RuntimeError(f'loiter({n}) failed')
    display(f'{tab}loiter({n}): done.')
    return n * 10

def main(delays, workers=3, collect='map'):
    ns = [float(d.lstrip('!')) if '.' in d else int(d.lstrip('!')) for d in delays]
    fails = [d.startswith('!') for d in delays]
    display('Script starting.')
    with futures.ThreadPoolExecutor(max_workers=workers) as executor:
        if collect == 'map':
            results = executor.map(loiter, ns, fails)  # submits all; does not block
            display('results:', results)
            display('Waiting for individual results:')
            i = 0
            try:
                for result in results:  # in submission order
                    display(f'result {i}: {result}')
                    i += 1
            except RuntimeError as exc:  # raised where the loop reaches it; ends the loop
                display(f'*** Error in result {i}: {exc!r}')
        else:
            todo = {executor.submit(loiter, n, f): i for i, (n, f) in enumerate(zip(ns, fails))}
            results = futures.as_completed(todo)
            display('results:', results)
            display('Waiting for individual results:')
            for future in results:  # in completion order
                i = todo[future]
                try:
                    display(f'result {i}: {future.result()}')
                except RuntimeError as exc:
                    display(f'*** Error in result {i}: {exc!r}')

if __name__ == '__main__':
    args = sys.argv[1:]
    workers = int(args[args.index('--workers') + 1]) if '--workers' in args else 3
    collect = 'as_completed' if '--as-completed' in args else 'map'
    delays = [a for i, a in enumerate(args)
              if not a.startswith('--') and (i == 0 or args[i - 1] != '--workers')]
    main(delays or '0 1 2 3 4'.split(), workers, collect)
