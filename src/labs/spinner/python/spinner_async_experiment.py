# spinner_async_experiment.py: the same supervisor, but slow() calls time.sleep.
import asyncio
import time

# spin() and main() as in spinner_async.py

async def slow() -> int:
    time.sleep(3)  # blocks the only thread: the event loop cannot run spin()
    return 42

async def supervisor() -> int:
    spinner = asyncio.create_task(spin('thinking!'))
    print(f'spinner object: {spinner}')
    result = await slow()   # the spinner task never gets a turn...
    spinner.cancel()        # ...and is cancelled before it ever ran
    return result
