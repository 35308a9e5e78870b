"""flags3_asyncio.py: two requests per country — the flag, then
metadata.json — and the file is named after the country.

Everything else (command line, reports, progress bar, error handling)
comes from flags2_asyncio.py.
"""
import asyncio
from http import HTTPStatus

import httpx

from flags2_asyncio import (DEFAULT_CONCUR_REQ, MAX_CONCUR_REQ,
                            DownloadStatus, get_flag, main, save_flag,
                            supervisor)


async def get_country(client: httpx.AsyncClient, base_url: str, cc: str) -> str:
    url = f'{base_url}/{cc}/metadata.json'.lower()
    resp = await client.get(url, timeout=3.1, follow_redirects=True)
    resp.raise_for_status()
    metadata = resp.json()  # {"cc": "BR", "country": "Brazil"}
    return metadata['country']


async def download_one(client, cc, base_url, semaphore, verbose):
    try:
        async with semaphore:  # the flag takes a slot...
            image = await get_flag(client, base_url, cc)
        async with semaphore:  # ...and the metadata takes one of its own
            country = await get_country(client, base_url, cc)
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code != HTTPStatus.NOT_FOUND:
            raise
        status, msg = DownloadStatus.NOT_FOUND, f'not found: {exc.response.url}'
    else:
        filename = country.replace(' ', '_')  # downloaded/Brazil.svg
        await asyncio.to_thread(save_flag, image, f'{filename}.svg')
        status, msg = DownloadStatus.OK, 'OK'
    if verbose:
        print(cc, msg)
    return status


def download_many(cc_list, base_url, verbose, concur_req):
    coro = supervisor(cc_list, base_url, verbose, concur_req, download=download_one)
    return asyncio.run(coro)


if __name__ == '__main__':
    main(download_many, DEFAULT_CONCUR_REQ, MAX_CONCUR_REQ)
