# flags_threadpool_ac.py-style (Fluent Python 1e ch. 17 / 2e ch. 20): submit + as_completed,
# printing the futures themselves — pending, running, finished.
import time
from concurrent import futures
from pathlib import Path

import httpx

POP20_CC = 'CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR'.split()
BASE_URL = 'http://localhost:8000/flags'  # the LOCAL server; DELAY: the slow one
DEST_DIR = Path('downloaded')

def download_one(cc: str) -> str:
    url = f'{BASE_URL}/{cc.lower()}/{cc.lower()}.svg'
    resp = httpx.get(url, timeout=3.1, follow_redirects=True)
    resp.raise_for_status()
    (DEST_DIR / f'{cc.lower()}.svg').write_bytes(resp.content)
    return cc

def main() -> None:
    DEST_DIR.mkdir(exist_ok=True)
    cc_list = sorted(POP20_CC[:5])
    t0 = time.perf_counter()
    with futures.ThreadPoolExecutor(max_workers=3) as executor:
        to_do = []
        for cc in cc_list:
            future = executor.submit(download_one, cc)
            to_do.append(future)
            print(f'Scheduled for {cc}: {future}')  # 3 running, 2 pending
        count = 0
        for future in futures.as_completed(to_do):  # in completion order
            res = future.result()
            print(f'{future} result: {res!r}')
            count += 1
    print(f'{count} flags downloaded in {time.perf_counter() - t0:.2f}s')

if __name__ == '__main__':
    main()
