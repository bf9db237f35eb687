#!/usr/bin/env python3
"""Times jixiao side by side with python-calamine, xlsxwriter, openpyxl and Python's csv module.

Run through `scripts/bench` (which makes the virtual environment and builds jixiao); run directly with the venv's
Python when both exist:  .bench/venv/bin/python bench/harness.py [--quick] [--scale] [--runs N] ...

For each comparison the pair runs alternately (jixiao, peer, jixiao, peer, ...) `--runs` times. Wall time is
measured around the process, after an untimed `sync` (so that no run pays for writing back what the run before it
left in the page cache); peak memory is the "Maximum resident set size" of `/usr/bin/time -v` (the largest
RSS of the process and of its children it waited for; os.wait4 gives the same number when /usr/bin/time is not
installed). Medians and ratios go into a markdown table, printed and (for a full run) written into BENCHMARKS.md
between the bench markers. A jixiao command that does not exist yet is reported as "missing"; a command that
fails is reported with its exit code. The exit status is non-zero only when the harness itself fails, never
because a target was missed.
"""
import argparse, csv, datetime, hashlib, json, os, platform, re, shutil, statistics, subprocess, sys, tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BENCH_DIR = os.path.join(ROOT, '.bench')
MARK_START, MARK_END = '<!-- bench:start -->', '<!-- bench:end -->'
TIME_BIN = '/usr/bin/time'
PY = sys.executable


def log(msg):
    print(f'[bench {datetime.datetime.now():%H:%M:%S}] {msg}', file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- inputs

def cached_input(kind, script, params, make):
    """Returns the directory holding the input `kind` for `params`, generating it when the cache has none.
    The cache key hashes the generator script, the parameters and the writer library versions."""
    h = hashlib.sha256()
    with open(os.path.join(HERE, script), 'rb') as f:
        h.update(f.read())
    h.update(json.dumps(params, sort_keys=True).encode())
    h.update(lib_versions_text().encode())
    key = h.hexdigest()[:12]
    d = os.path.join(BENCH_DIR, 'inputs', f'{kind}-{key}')
    if os.path.exists(os.path.join(d, 'done')):
        log(f'input {kind} {params}: cached in {os.path.relpath(d, ROOT)}')
        return d
    # Drop stale versions of this input (other generator or library versions) and any half-made one.
    parent = os.path.dirname(d)
    if os.path.isdir(parent):
        for name in os.listdir(parent):
            if name.startswith(f'{kind}-'):
                shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
    os.makedirs(d)
    log(f'input {kind} {params}: generating in {os.path.relpath(d, ROOT)} ...')
    t0 = time.perf_counter()
    make(d)
    with open(os.path.join(d, 'done'), 'w') as f:
        json.dump(params, f)
    log(f'input {kind}: done in {time.perf_counter() - t0:.1f} s')
    return d


def sheet_names(rows, sheet_rows):
    """The sheets gen_big.py writes for `rows` data rows, `sheet_rows` per sheet."""
    n = (rows + sheet_rows - 1) // sheet_rows
    return ['数据'] if n <= 1 else [f'数据{i + 1}' for i in range(n)]


def gen_big(rows, seed, with_csv=True, sheet_rows=1_000_000):
    def make(d):
        cmd = [PY, os.path.join(HERE, 'gen_big.py'), '--rows', str(rows), '--seed', str(seed),
               '--sheet-rows', str(sheet_rows), '--xlsx', os.path.join(d, 'big.xlsx')]
        if with_csv:
            cmd += ['--csv', os.path.join(d, 'big.csv')]
        subprocess.run(cmd, check=True)
    return cached_input(f'big{rows}', 'gen_big.py',
                        {'rows': rows, 'seed': seed, 'csv': with_csv, 'sheet_rows': sheet_rows}, make)


def dump_argv(jixiao, path, sheets):
    """jixiao reading every sheet of `path` to CSV: one `dump --csv`, or one per sheet in a shell loop."""
    if len(sheets) == 1:
        return [jixiao, 'dump', path, '--csv']
    return ['sh', '-c', 'j=$1; f=$2; shift 2; for s; do "$j" dump "$f" --csv --sheet "$s" || exit; done',
            'sh', jixiao, path] + sheets


def gen_indicators(count, seed):
    def make(d):
        subprocess.run([PY, os.path.join(HERE, 'gen_indicators.py'), '--count', str(count), '--seed', str(seed),
                        '--out', os.path.join(d, 'workbooks')], check=True)
    return cached_input(f'indicators{count}', 'gen_indicators.py', {'count': count, 'seed': seed}, make)


_LIBV = None


def lib_versions():
    global _LIBV
    if _LIBV is None:
        from importlib.metadata import version, PackageNotFoundError
        _LIBV = {}
        for name in ('python-calamine', 'openpyxl', 'xlsxwriter'):
            try:
                _LIBV[name] = version(name)
            except PackageNotFoundError:
                _LIBV[name] = 'not installed'
    return _LIBV


def lib_versions_text():
    return ' '.join(f'{k}={v}' for k, v in sorted(lib_versions().items()))


# ---------------------------------------------------------------------------------------------------- running

class Run:
    def __init__(self, wall, rss_kb, status, err, cpu=None):
        self.wall, self.rss_kb, self.status, self.err, self.cpu = wall, rss_kb, status, err, cpu


def run_measured(argv, ok_codes=(0,), timeout=1800, stdout=subprocess.DEVNULL):
    """Runs argv once; returns Run(wall seconds, peak RSS KB, exit status, first stderr line on failure)."""
    use_time = os.access(TIME_BIN, os.X_OK)
    with tempfile.NamedTemporaryFile('r', suffix='.time', dir=BENCH_DIR) as tf, \
            tempfile.TemporaryFile('w+b') as errf:
        full = [TIME_BIN, '-v', '-o', tf.name] + argv if use_time else argv
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=stdout, stderr=errf, stdin=subprocess.DEVNULL)
        # A blocking wait, with a watchdog thread for the timeout: `Popen.wait(timeout=…)` polls with sleeps
        # that double up to 50 ms, which added 0–50 ms to every measured run (8 % of a 0.6 s one).
        timed_out = threading.Event()

        def watchdog():
            timed_out.set()
            p.kill()

        timer = threading.Timer(timeout, watchdog)
        timer.daemon = True
        timer.start()
        try:
            if use_time:
                status = p.wait()
                rss = None
            else:
                # Same measurement as /usr/bin/time: wait4 gives the child's rusage, ru_maxrss in KB.
                _, st, ru = os.wait4(p.pid, 0)
                p.returncode = status = os.waitstatus_to_exitcode(st)
                rss = ru.ru_maxrss
                cpu = ru.ru_utime + ru.ru_stime
        finally:
            timer.cancel()
        if timed_out.is_set():
            return Run(None, None, 'timeout', f'no answer after {timeout} s')
        wall = time.perf_counter() - t0
        if use_time:
            text = tf.read()
            m = re.findall(r'(?:User|System) time \(seconds\): ([\d.]+)', text)
            cpu = sum(float(x) for x in m) if m else None
            m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', text)
            rss = int(m.group(1)) if m else None
            m = re.search(r'terminated by signal (\d+)', text)
            if m:
                status = f'signal {m.group(1)}'
            else:
                m = re.search(r'Exit status: (\d+)', text)
                if m:
                    status = int(m.group(1))
        err = ''
        if status not in ok_codes:
            errf.seek(0)
            lines = [l for l in errf.read().decode('utf-8', 'replace').splitlines() if l.strip()]
            err = lines[-1][:160] if lines else ''
        return Run(wall, rss, status, err, cpu)


class Side:
    """One program of a pair: its label, command, the exit codes that count as success, and a reset step run
    (untimed) before each run."""

    def __init__(self, label, argv, ok_codes=(0,), reset=None, missing=None):
        self.label, self.argv, self.ok_codes, self.reset, self.missing = label, argv, ok_codes, reset, missing
        self.runs = []

    def run(self, timeout):
        if self.missing:
            return
        if self.reset:
            self.reset()
        # Untimed: write back what earlier runs left in the page cache (the peer's 2,000 saved workbooks, say),
        # so that no run pays for the previous program's writes (a program that syncs its own outputs, as
        # `jixiao batch` does once at the end, would otherwise also flush the other program's).
        os.sync()
        r = run_measured(self.argv, self.ok_codes, timeout)
        self.runs.append(r)
        shown = f'{r.wall:.3f} s, {r.rss_kb / 1024:.1f} MB' if r.wall is not None and r.rss_kb else '-'
        log(f'  {self.label}: {shown}' + ('' if r.status in self.ok_codes else f'  FAILED ({r.status}) {r.err}'))

    def good(self):
        return [r for r in self.runs if r.status in self.ok_codes]

    def failed(self):
        return [r for r in self.runs if r.status not in self.ok_codes]

    def median(self):
        g = self.good()
        return statistics.median(r.wall for r in g) if g and not self.failed() else None

    def cpu_median(self):
        g = [r.cpu for r in self.good() if r.cpu is not None]
        return statistics.median(g) if g and not self.failed() else None

    def peak_mb(self):
        g = [r.rss_kb for r in self.good() if r.rss_kb]
        return max(g) / 1024 if g else None

    def state(self):
        """'' when every run succeeded, else a short reason shown instead of a time."""
        if self.missing:
            return self.missing
        f = self.failed()
        if f:
            return f'failed (exit {f[0].status}: {f[0].err})' if f[0].err else f'failed (exit {f[0].status})'
        return '' if self.runs else 'not run'


TRASH = []   # [folder]: where reset_path moves earlier outputs; emptied after the last timed run


def reset_path(p):
    """Before a run: the previous run's output is moved aside (a rename), not deleted. Deleting thousands of
    files just before a run makes every file the next run creates slower on a file system without a journal
    (ext4 then skips inodes freed in the last 60–300 s when it allocates one, scanning past each of them),
    which would charge one program's clean-up to the next program's time. Everything moved aside is deleted
    after the last timed run (`empty_trash`)."""
    def reset():
        if not os.path.lexists(p):
            return
        trash = os.path.join(os.path.dirname(p), '.trash')
        if trash not in TRASH:
            TRASH.append(trash)
            os.makedirs(trash, exist_ok=True)
        os.rename(p, os.path.join(trash, f'{len(os.listdir(trash))}-{os.path.basename(p)}'))
    return reset


def empty_trash():
    for d in TRASH:
        shutil.rmtree(d, ignore_errors=True)
    TRASH.clear()


def jixiao_has(jixiao, sub):
    if not os.access(jixiao, os.X_OK):
        return False
    # swift-argument-parser answers `jixiao NOSUCH --help` with the root help and exit 0: look for the
    # subcommand's own usage line instead.
    r = subprocess.run([jixiao, sub, '--help'], capture_output=True, text=True, errors='replace')
    return r.returncode == 0 and re.search(rf'USAGE: \S*jixiao {sub}\b', r.stdout + r.stderr) is not None


# ---------------------------------------------------------------------------------------------------- checks
# Untimed checks that each program did the whole job: row and cell counts, exact strings, numbers.

def csv_rows(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.reader(f))


STRING_COLS = (1, 2, 7, 9)   # 单位, 项目, 类别, 备注 in gen_big.py


def check_grid_against_csv(rows, ref, what):
    """rows: a table read back from a program's output; ref: big.csv rows. Compares shape, the string columns
    exactly and the first number column numerically."""
    # Drop trailing empty rows/cells a writer may add.
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows.pop()
    if len(rows) != len(ref):
        return f'✗ {what}: {len(rows)} rows, expected {len(ref)}'
    for i, (got, want) in enumerate(zip(rows, ref)):
        if len(got) < len(want):
            return f'✗ {what}: row {i + 1} has {len(got)} cells, expected {len(want)}'
        for c in STRING_COLS:
            if str(got[c]) != want[c]:
                return f'✗ {what}: row {i + 1} col {c + 1} is {got[c]!r}, expected {want[c]!r}'
        if i > 0:
            try:
                if abs(float(str(got[3]).replace(',', '')) - float(want[3])) > 1e-6:
                    return f'✗ {what}: row {i + 1} col 4 is {got[3]!r}, expected {want[3]}'
            except (TypeError, ValueError):
                return f'✗ {what}: row {i + 1} col 4 is {got[3]!r}, not a number'
    return f'✓ {len(ref)} rows'


def check_dump(jixiao, src, ref_csv, work):
    out = os.path.join(work, 'check-dump.csv')
    with open(out, 'wb') as f:
        r = subprocess.run([jixiao, 'dump', src, '--csv'], stdout=f, stderr=subprocess.PIPE)
    if r.returncode != 0:
        return f'✗ exit {r.returncode}'
    return check_grid_against_csv(csv_rows(out), csv_rows(ref_csv), 'dump')


def check_line_count(argv, want):
    """Runs argv and counts the lines it prints (the data has no line breaks inside cells)."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    n = 0
    while True:
        b = p.stdout.read(1 << 20)
        if not b:
            break
        n += b.count(b'\n')
    if p.wait() != 0:
        return f'✗ exit {p.returncode}'
    return f'✓ {n:,} lines' if n == want else f'✗ {n:,} lines, expected {want:,}'


def check_xlsx_against_csv(path, ref_csv):
    if not os.path.exists(path):
        return '✗ no output file'
    from python_calamine import CalamineWorkbook
    try:
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    except Exception as e:   # the output is unreadable: report, do not stop
        return f'✗ calamine cannot read it: {e}'
    return check_grid_against_csv(rows, csv_rows(ref_csv), 'output')


def indicator_total(path):
    """(得分 sum over indicator rows, value in the 合计 row's 得分 cell) of an indicator workbook, by calamine."""
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    col = hdr = None
    for i, row in enumerate(rows[:10]):
        for j, v in enumerate(row):
            if isinstance(v, str) and v.strip() == '得分':
                col, hdr = j, i
        if col is not None:
            break
    if col is None:
        return None, None
    s = 0.0
    for row in rows[hdr + 1:]:
        if isinstance(row[0], str) and row[0].strip() == '合计':
            v = row[col] if col < len(row) else None
            return s, (v if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
        v = row[col] if col < len(row) else None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            s += v
    return s, None


def check_bulk(out_dir, src_dir, count):
    if not os.path.isdir(out_dir):
        return '✗ no output directory'
    outs = []
    for base, _, files in os.walk(out_dir):
        outs += [os.path.join(base, f) for f in files if f.endswith('.xlsx')]
    if len(outs) < count:
        return f'✗ {len(outs)} workbooks written, expected {count}'
    sample = sorted(outs)[len(outs) // 2]
    base = os.path.basename(sample)
    stems = [n[:-5] for n in os.listdir(src_dir) if n.endswith('.xlsx') and base.startswith(n[:-5])]
    src = os.path.join(src_dir, max(stems, key=len) + '.xlsx') if stems else None
    if src is None:
        return f'✓ {len(outs)} workbooks (names differ from inputs: total not checked)'
    want, _ = indicator_total(src)
    try:
        _, got = indicator_total(sample)
    except Exception as e:
        return f'✗ {os.path.basename(sample)} unreadable: {e}'
    if got is None or want is None or abs(got - want) > 1e-6:
        return f'✗ {os.path.basename(sample)}: 合计 得分 is {got}, expected {want}'
    return f'✓ {len(outs)} workbooks, 合计 {got:g}'


# ---------------------------------------------------------------------------------------------------- report

def machine_info(jixiao):
    def first_line(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            out = (r.stdout or r.stderr).strip().splitlines()
            return out[0].strip() if out else '?'
        except Exception:
            return '?'
    cpu = '?'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    mem = '?'
    try:
        with open('/proc/meminfo') as f:
            kb = int(f.readline().split()[1])
            mem = f'{kb / 1024 / 1024:.1f} GiB'
    except (OSError, ValueError, IndexError):
        pass
    rev = first_line(['git', '-C', ROOT, 'describe', '--always', '--dirty', '--abbrev=10'])
    load = load_now()
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'machine': f'{os.cpu_count()} CPUs ({cpu}), {mem} memory, {platform.system()} {platform.release()}',
        'load': f'{LOAD_AT_START} at start, {load} at end (1/5/15-minute load averages: other work on the machine '
                'makes the times noisy)',
        'jixiao': (first_line([jixiao, '--version']) if os.access(jixiao, os.X_OK) else 'not built') + f' (git {rev})',
        'swift': first_line(['swift', '--version']),
        'python': f'Python {platform.python_version()}; ' + ', '.join(f'{k} {v}' for k, v in lib_versions().items()),
        'timer': 'wall: time.perf_counter around the process; peak RSS: ' +
                 ('/usr/bin/time -v' if os.access(TIME_BIN, os.X_OK) else
                  'os.wait4 rusage (no /usr/bin/time: each figure includes the harness\'s own RSS at fork, '
                  'so small ones are too high)'),
    }


def fmt_s(v):
    return '—' if v is None else (f'{v:.3f} s' if v < 10 else f'{v:.2f} s')


def fmt_cpu(v):
    return '' if v is None else f' (cpu {v:.2f} s)'


def fmt_mb(v):
    return '—' if v is None else f'{v:.1f} MB'


def mark(ok):
    return '—' if ok is None else ('✓' if ok else '✗')


def render(cmp_rows, targets, info, args, command):
    out = []
    out.append(f'Run {info["date"]} with `{command}` ({args.runs} run{"s" if args.runs > 1 else ""} per program, '
               f'alternating; median wall time with the median user+system CPU time in brackets, largest peak RSS).')
    out.append('')
    for k in ('machine', 'load', 'jixiao', 'swift', 'python', 'timer'):
        out.append(f'- {k}: {info[k]}')
    out.append('')
    out.append('| comparison | input | jixiao | jixiao median | jixiao peak RSS | peer | peer median | peer peak RSS '
               '| jixiao ÷ peer time | output check |')
    out.append('|---|---|---|---|---|---|---|---|---|---|')
    for c in cmp_rows:
        j, p = c['jixiao'], c['peer']
        jm, pm = j.median(), p.median()
        ratio = f'{jm / pm:.3f}' if jm and pm else '—'
        jt = fmt_s(jm) + fmt_cpu(j.cpu_median()) if not j.state() else j.state()
        pt = fmt_s(pm) + fmt_cpu(p.cpu_median()) if not p.state() else p.state()
        out.append(f'| {c["name"]} | {c["input"]} | `{c["jcmd"]}` | {jt} | {fmt_mb(j.peak_mb())} | {p.label} | {pt} '
                   f'| {fmt_mb(p.peak_mb())} | {ratio} | {c.get("check_j", "—")} / {c.get("check_p", "—")} |')
    out.append('')
    out.append('| target | jixiao budget in this run | measured | met |')
    out.append('|---|---|---|---|')
    for name, budget, measured, ok in targets:
        out.append(f'| {name} | {budget} | {measured} | {mark(ok)} |')
    out.append('')
    out.append('Output check: jixiao / peer, done once after timing (untimed): the table read back equals big.csv '
               '(row count, the string columns exactly, 金额 numerically), or the bulk outputs exist and the '
               '合计 得分 of one equals the sum of its 得分 column.')
    return '\n'.join(out)


def write_markdown(path, table):
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            text = f.read()
    else:
        text = f'# Benchmarks\n\n{MARK_START}\n{MARK_END}\n'
    if MARK_START not in text or MARK_END not in text:
        text = text.rstrip('\n') + f'\n\n{MARK_START}\n{MARK_END}\n'
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    text = f'{head}{MARK_START}\n{table}\n{MARK_END}{tail}'
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------- main

def load_now():
    try:
        return ' / '.join(f'{x:.2f}' for x in os.getloadavg())
    except OSError:
        return '?'


LOAD_AT_START = load_now()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true', help='small inputs (2,000 rows, 20 workbooks), 1 run each')
    ap.add_argument('--scale', action='store_true', help='also time the 10x-rows variant of big.xlsx '
                    '(2,000,000 rows; 20,000 with --quick)')
    ap.add_argument('--runs', type=int, help='runs per program (default 5, --quick 1)')
    ap.add_argument('--rows', type=int, help='rows of big.xlsx/big.csv (default 200,000, --quick 2,000)')
    ap.add_argument('--workbooks', type=int, help='indicator workbooks (default 2,000, --quick 20)')
    ap.add_argument('--jobs', type=int, default=2, help='worker count of both bulk programs (default 2)')
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--only', help='comma-separated subset of: read,write,bulk,csv')
    ap.add_argument('--jixiao', default=os.path.join(ROOT, '.build', 'release', 'jixiao'))
    ap.add_argument('--write-md', dest='write_md', action='store_true', default=None,
                    help='write the table into BENCHMARKS.md (default for a full run, not for --quick)')
    ap.add_argument('--no-write-md', dest='write_md', action='store_false')
    ap.add_argument('--command', default=None, help='the command line to record in BENCHMARKS.md')
    ap.add_argument('--inputs-only', action='store_true', help='generate (or find cached) inputs, time nothing')
    ap.add_argument('--timeout', type=int, default=None, help='seconds one run may take (default 1800; quick 300)')
    args = ap.parse_args()

    rows = args.rows or (2_000 if args.quick else 200_000)
    count = args.workbooks or (20 if args.quick else 2_000)
    args.runs = args.runs or (1 if args.quick else 5)
    timeout = args.timeout or (300 if args.quick else 1800)
    write_md = (not args.quick) if args.write_md is None else args.write_md
    only = set((args.only or 'read,write,bulk,csv').split(','))
    if only - {'read', 'write', 'bulk', 'csv'}:
        ap.error(f'--only: unknown {sorted(only - {"read", "write", "bulk", "csv"})}')
    command = args.command or ('scripts/bench ' + ' '.join(sys.argv[1:])).strip()
    os.makedirs(BENCH_DIR, exist_ok=True)
    work = os.path.join(BENCH_DIR, 'work')
    if os.path.isdir(work):
        # An earlier run's outputs: moved aside now and deleted after timing, like the outputs of this run
        # (see reset_path).
        old = os.path.join(BENCH_DIR, f'old-work-{os.getpid()}')
        os.rename(work, old)
    # (also those of a run that was stopped before it could delete them)
    TRASH.extend(os.path.join(BENCH_DIR, n) for n in sorted(os.listdir(BENCH_DIR)) if n.startswith('old-work-'))
    os.makedirs(work)
    jixiao = os.path.abspath(args.jixiao)
    if not os.access(jixiao, os.X_OK):
        log(f'jixiao not found at {jixiao}: every jixiao command is reported as missing')

    big = gen_big(rows, args.seed)
    big_xlsx, big_csv = os.path.join(big, 'big.xlsx'), os.path.join(big, 'big.csv')
    ind = gen_indicators(count, args.seed) if 'bulk' in only else None
    scale_rows = rows * 10
    # A sheet holds at most 1,048,576 rows: the 10x variant has two sheets of half the rows each.
    scale_sheet_rows = (scale_rows + 1) // 2
    big_scale = gen_big(scale_rows, args.seed, with_csv=False, sheet_rows=scale_sheet_rows) \
        if args.scale and 'read' in only else None

    if args.inputs_only:
        empty_trash()
        log('inputs ready in .bench/inputs')
        return
    have = {sub: jixiao_has(jixiao, sub) for sub in ('dump', 'convert', 'batch')}
    log('jixiao commands: ' + ', '.join(f'{k} {"present" if v else "missing"}' for k, v in have.items()))
    miss = lambda sub: None if have[sub] else f'missing (no `jixiao {sub}`)'
    peers = [PY, os.path.join(HERE, 'peers.py')]
    n_rows = f'{rows:,} rows × 10'

    cmps = []
    if 'read' in only:
        cmps.append({'key': 'read', 'name': 'read XLSX', 'input': f'big.xlsx, {n_rows}',
                     'jcmd': 'jixiao dump big.xlsx --csv > /dev/null',
                     'jixiao': Side('jixiao dump', dump_argv(jixiao, big_xlsx, sheet_names(rows, 1_000_000)),
                                    missing=miss('dump')),
                     'peer': Side('python-calamine', peers + ['calamine-read', big_xlsx])})
    if 'write' in only:
        j_out, p_out = os.path.join(work, 'jixiao-out.xlsx'), os.path.join(work, 'xlsxwriter-out.xlsx')
        cmps.append({'key': 'write', 'name': 'write XLSX', 'input': f'big.csv, {rows * 10:,} cells',
                     'jcmd': 'jixiao convert big.csv out.xlsx',
                     'jixiao': Side('jixiao convert', [jixiao, 'convert', big_csv, j_out], reset=reset_path(j_out),
                                    missing=miss('convert')),
                     'peer': Side('xlsxwriter constant_memory', peers + ['xlsxwriter-write', big_csv, p_out],
                                  reset=reset_path(p_out)),
                     'outs': (j_out, p_out)})
    if 'bulk' in only:
        src = os.path.join(ind, 'workbooks')
        j_out, p_out = os.path.join(work, 'jixiao-batch'), os.path.join(work, 'openpyxl-batch')
        cmps.append({'key': 'bulk', 'name': f'bulk, {args.jobs} workers', 'input': f'{count:,} indicator workbooks',
                     'jcmd': f'jixiao batch DIR --out OUT --jobs {args.jobs} --force',
                     'jixiao': Side('jixiao batch', [jixiao, 'batch', src, '--out', j_out, '--jobs', str(args.jobs),
                                                     '--force', '--quiet'],
                                    ok_codes=(0, 1), reset=reset_path(j_out), missing=miss('batch')),
                     'peer': Side(f'openpyxl Pool({args.jobs})',
                                  peers + ['openpyxl-bulk', src, p_out, '--jobs', str(args.jobs)],
                                  reset=reset_path(p_out)),
                     'outs': (j_out, p_out), 'src': src})
    if 'csv' in only:
        cmps.append({'key': 'csv', 'name': 'read CSV', 'input': f'big.csv, {n_rows}',
                     'jcmd': 'jixiao dump big.csv --csv > /dev/null',
                     'jixiao': Side('jixiao dump', [jixiao, 'dump', big_csv, '--csv'], missing=miss('dump')),
                     'peer': Side('Python csv', peers + ['csv-read', big_csv])})
    if big_scale:
        bx = os.path.join(big_scale, 'big.xlsx')
        names = sheet_names(scale_rows, scale_sheet_rows)
        cmps.append({'key': 'scale', 'name': 'read XLSX, 10× rows',
                     'input': f'big.xlsx, {scale_rows:,} rows × 10 in {len(names)} sheets',
                     'jcmd': f'jixiao dump big.xlsx --csv --sheet {names[0]} > /dev/null; … {names[-1]}',
                     'jixiao': Side('jixiao dump', dump_argv(jixiao, bx, names), missing=miss('dump')),
                     'sheets': names, 'path': bx, 'rows': scale_rows,
                     'peer': Side('python-calamine', peers + ['calamine-read', bx])})

    for c in cmps:
        log(f'{c["name"]}: {args.runs} alternating run(s)')
        for _ in range(args.runs):
            c['jixiao'].run(timeout)
            c['peer'].run(timeout)

    empty_trash()
    # Untimed output checks.
    log('checking outputs')
    for c in cmps:
        j, p = c['jixiao'], c['peer']
        if c['key'] in ('read', 'csv') and not j.state():
            c['check_j'] = check_dump(jixiao, big_xlsx if c['key'] == 'read' else big_csv, big_csv, work)
        elif c['key'] == 'scale' and not j.state():
            c['check_j'] = check_line_count(dump_argv(jixiao, c['path'], c['sheets']), c['rows'] + len(c['sheets']))
        elif c['key'] == 'write':
            if not j.state():
                c['check_j'] = check_xlsx_against_csv(c['outs'][0], big_csv)
            if not p.state():
                c['check_p'] = check_xlsx_against_csv(c['outs'][1], big_csv)
        elif c['key'] == 'bulk':
            if not j.state():
                c['check_j'] = check_bulk(c['outs'][0], c['src'], count)
            if not p.state():
                c['check_p'] = check_bulk(c['outs'][1], c['src'], count)

    # Targets of issue 7: (target, what jixiao may take at most given this run's peer, measured, met).
    by = {c['key']: c for c in cmps}

    def med(key, side):
        c = by.get(key)
        return c[side].median() if c else None

    def peak(key):
        c = by.get(key)
        return c['jixiao'].peak_mb() if c and not c['jixiao'].state() else None

    def time_target(name, key, factor, show):
        j, p = med(key, 'jixiao'), med(key, 'peer')
        budget = f'≤ {fmt_s(p * factor)}' if p else '—'
        return (name, budget, show(j, p) if j and p else 'not measured', (j <= p * factor) if j and p else None)

    targets = [
        time_target('read big.xlsx: jixiao time ≤ 0.67 × calamine', 'read', 0.67,
                    lambda j, p: f'{fmt_s(j)} = {j / p:.3f} ×'),
        time_target(f'write {rows * 10:,} cells: jixiao time ≤ 1/6 × xlsxwriter constant_memory', 'write', 1 / 6,
                    lambda j, p: f'{fmt_s(j)} = {j / p:.3f} × (1/{p / j:.1f})'),
        time_target(f'bulk: jixiao workbooks/s ≥ 25 × openpyxl Pool({args.jobs})', 'bulk', 1 / 25,
                    lambda j, p: f'{count / j:.0f} vs {count / p:.1f} workbooks/s = {p / j:.1f} ×'),
        time_target('read big.csv: jixiao ≥ 3 × as fast as Python csv', 'csv', 1 / 3,
                    lambda j, p: f'{fmt_s(j)} = {p / j:.2f} × as fast'),
    ]
    m = peak('read')
    targets.append(('peak RSS of `jixiao dump big.xlsx --csv` < 64 MB', '< 64 MB', fmt_mb(m) if m else 'not measured',
                    (m < 64) if m else None))
    m = peak('bulk')
    targets.append(('peak RSS of the jixiao bulk run < 200 MB', '< 200 MB', fmt_mb(m) if m else 'not measured',
                    (m < 200) if m else None))
    a, b = med('read', 'jixiao'), med('scale', 'jixiao')
    targets.append((f'read {scale_rows:,} rows ≤ 11 × read {rows:,} rows', f'≤ {fmt_s(a * 11)}' if a else '—',
                    f'{fmt_s(b)} = {b / a:.2f} ×' if a and b else
                    ('not measured (run with --scale)' if not args.scale else 'not measured'),
                    (b / a <= 11) if a and b else None))

    table = render(cmps, targets, machine_info(jixiao), args, command)
    print(table)
    with open(os.path.join(BENCH_DIR, 'last-run.md'), 'w', encoding='utf-8') as f:
        f.write(table + '\n')
    raw = [{'comparison': c['name'], 'input': c['input'],
            **{side: {'label': c[side].label, 'argv': c[side].argv, 'state': c[side].state(),
                      'runs': [{'wall_s': r.wall, 'cpu_s': r.cpu, 'peak_rss_kb': r.rss_kb, 'status': r.status} for r in c[side].runs]}
               for side in ('jixiao', 'peer')}} for c in cmps]
    with open(os.path.join(BENCH_DIR, 'last-run.json'), 'w', encoding='utf-8') as f:
        json.dump({'targets': [{'target': t, 'budget': b, 'measured': m, 'met': ok} for t, b, m, ok in targets], 'comparisons': raw},
                  f, ensure_ascii=False, indent=1)
    if write_md:
        write_markdown(os.path.join(ROOT, 'BENCHMARKS.md'), table)
        log('table written into BENCHMARKS.md')
    else:
        log('table written to .bench/last-run.md (BENCHMARKS.md unchanged; --write-md to update it)')


if __name__ == '__main__':
    main()
