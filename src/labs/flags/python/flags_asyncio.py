"""flags_asyncio.py: the same 20 flags, all requested at once.

Reuses flags.py; only download_many changes. Codes print in the order
the downloads finish, not in sorted order.
"""
import asyncio

from httpx import AsyncClient

from flags import BASE_URL, save_flag, main


async def get_flag(client: AsyncClient, cc: str) -> bytes:
    url = f'{BASE_URL}/{cc}/{cc}.svg'.lower()
    resp = await client.get(url, timeout=6.1, follow_redirects=True)
    resp.raise_for_status()
    return resp.content


async def download_one(client: AsyncClient, cc: str) -> str:
    image = await get_flag(client, cc)  # yields to the event loop
    save_flag(image, f'{cc}.svg')
    print(cc, end=' ', flush=True)
    return cc


async def supervisor(cc_list: list[str]) -> int:
    async with AsyncClient() as client:
        to_do = [download_one(client, cc) for cc in sorted(cc_list)]
        done = await asyncio.gather(*to_do)  # run them all concurrently
    return len(done)


def download_many(cc_list: list[str]) -> int:
    return asyncio.run(supervisor(cc_list))


# The thread-pool variant (flags_threadpool.py) gets the same effect with
# threads and the blocking get_flag of flags.py:
#
#     from concurrent import futures
#
#     def download_one(cc: str) -> str:
#         save_flag(flags.get_flag(cc), f'{cc}.svg')
#         print(cc, end=' ', flush=True)
#         return cc
#
#     def download_many(cc_list: list[str]) -> int:
#         with futures.ThreadPoolExecutor(max_workers=30) as executor:
#             return len(list(executor.map(download_one, sorted(cc_list))))
#
# The playground's "concurrent" mode allows at most 30 requests at a time,
# like that pool; for the 20 default codes both variants start them all.

if __name__ == '__main__':
    main(download_many)
