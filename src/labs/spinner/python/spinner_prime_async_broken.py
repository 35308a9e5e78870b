# spinner_prime_async_broken.py: a CPU-bound check inside a coroutine.
import asyncio
import math

# spin() and main() as in spinner_async.py

def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    root = math.isqrt(n)
    for i in range(3, root + 1, 2):
        if n % i == 0:
            return False
    return True

async def supervisor(n: int) -> bool:
    spinner = asyncio.create_task(spin('thinking!'))
    print(f'spinner object: {spinner}')
    result = is_prime(n)    # never awaits: the loop is stuck until it returns
    spinner.cancel()
    return result

def main() -> None:
    n = 5_000_111_000_222_021
    prime = asyncio.run(supervisor(n))
    print(f'{n:,} is {"" if prime else "not "}prime')
