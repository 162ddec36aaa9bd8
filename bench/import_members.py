"""Benchmark of the member import (issue budget): `.venv/bin/python bench/import_members.py [ROWS]`.

1. Writes a member file of ROWS rows (default 100,000) and one of a tenth of that.
2. Times openpyxl alone reading the big file in read-only mode.
3. Times `dangvu import_members FILE` (parse, check, write) into a fresh SQLite database holding
   the demo committee's cells, in a separate process, and reads that process's peak memory.

Budgets: import time <= 3 x the openpyxl read; peak memory at ROWS <= 1.5 x the peak at ROWS/10.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Chi bộ",
    "Ngày quyết định kết nạp",
    "Ngày lễ kết nạp",
    "Ngày công nhận chính thức",
    "Số căn cước",
    "Quê quán",
    "Dân tộc",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hương", "Lan", "Linh", "Minh"]


def write_file(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["DANH SÁCH ĐẢNG VIÊN"])
    sheet.append(HEADER)
    for i in range(rows):
        born = date(1950, 1, 1) + timedelta(days=i % 18000)
        decided = born + timedelta(days=25 * 366)
        sheet.append(
            [
                i + 1,
                f"{FAMILY[i % 10]} Văn {GIVEN[(i // 10) % 10]} {i}",
                born,
                "Nam" if i % 2 else "Nữ",
                f"CB-{i % 58 + 1:02d}",
                decided,
                decided + timedelta(days=20),
                decided + timedelta(days=400),
                f"{9_000_000_000 + i:012d}",
                "Hà Nội",
                "Kinh",
            ]
        )
    book.save(path)


def read_only_seconds(path: Path) -> float:
    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    for _row in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()
    return time.perf_counter() - started


CHILD = """
import resource, sys, time
import django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("import_members", sys.argv[1], stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def import_run(path: Path) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "DANGVU_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "dangvu.settings"}
        env.pop("DATABASE_URL", None)
        python = sys.executable
        subprocess.run([python, "-m", "dangvu", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [python, "-m", "dangvu", "load_demo", "--members", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        out = subprocess.run(
            [python, "-c", CHILD, str(path)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.split()
        return float(out[0]), int(out[1])


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.xlsx", Path(tmp) / "small.xlsx"
        write_file(big, rows)
        write_file(small, rows // 10)
        reading = read_only_seconds(big)
        seconds, peak = import_run(big)
        _small_seconds, small_peak = import_run(small)
    print(f"openpyxl read-only, {rows:,} rows: {reading:.1f} s")
    print(
        f"dangvu import_members, {rows:,} rows: {seconds:.1f} s "
        f"= {seconds / reading:.2f} x the read (budget 3 x)"
    )
    print(
        f"peak memory: {peak / 1024:.0f} MB at {rows:,} rows, {small_peak / 1024:.0f} MB at "
        f"{rows // 10:,} rows = {peak / small_peak:.2f} x (budget 1.5 x)"
    )


if __name__ == "__main__":
    main()
