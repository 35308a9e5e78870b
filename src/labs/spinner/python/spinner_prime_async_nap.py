# spinner_prime_async_nap.py: the CPU loop naps every 100_000 iterations.
import asyncio
import math

# spin() and main() as in spinner_prime_async_broken.py

async def is_prime(n: int) -> bool:
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
        if i % 100_000 == 1:
            await asyncio.sleep(0)  # lets the event loop run spin() for a moment
    return True

async def supervisor(n: int) -> bool:
    spinner = asyncio.create_task(spin('thinking!'))
    print(f'spinner object: {spinner}')
    result = await is_prime(n)
    spinner.cancel()
    return result
