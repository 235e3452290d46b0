// Tables of what library calls do: CPU-heavy work, blocking I/O, hidden shared state, ordered output.
// Names are fully qualified after import resolution (`from hashlib import sha256` → `hashlib.sha256`).

/** What a call costs: CPU time in Python/C, waiting on I/O, or nothing worth a pool. */
export type CallWork = 'cpu' | 'io' | 'light';
/**
 * What a call does beyond returning a value:
 * pure — nothing observable; io — talks to the outside world (reads are independent per item);
 * ordered — output whose order the user sees (print, logging); stateful — reads and advances hidden shared
 * state (random generators, iterators), so the results depend on the order of the calls.
 */
export type CallEffect = 'pure' | 'io' | 'ordered' | 'stateful';

/**
 * What an I/O call waits for: a remote service (network), another program (process), the local file system
 * (file), or the clock (sleep). Undefined when the table does not say.
 */
export type WaitKind = 'network' | 'process' | 'file' | 'sleep';

export interface CallKnowledge {
  work: CallWork;
  effect: CallEffect;
  /** The call blocks the thread (sleep, network, disk, subprocess): relevant inside `async def`. */
  blocking?: boolean;
  /** For I/O: what it waits for. */
  waits?: WaitKind;
  /** For CPU work in C that lets other threads run meanwhile (hashing, compression of large buffers). */
  releasesGil?: boolean;
  /**
   * The work grows with the size of the input (a regex over a text): one call on one item's short string is
   * cheap, so it counts as CPU work only when repeated in an inner loop or run over a whole file's text.
   */
  sizeDependent?: boolean;
}

const cpu = (effect: CallEffect = 'pure'): CallKnowledge => ({ work: 'cpu', effect });
/** CPU work in C that releases the GIL while it runs (on buffers beyond a few KB). */
const cpuFreeingGil = (): CallKnowledge => ({ work: 'cpu', effect: 'pure', releasesGil: true });
const io = (waits?: WaitKind): CallKnowledge => ({ work: 'io', effect: 'io', blocking: true, ...(waits ? { waits } : {}) });
const asyncIo = (waits?: WaitKind): CallKnowledge => ({ work: 'io', effect: 'io', ...(waits ? { waits } : {}) });
const light = (effect: CallEffect = 'pure'): CallKnowledge => ({ work: 'light', effect });

/** Exact qualified names. */
const EXACT: Record<string, CallKnowledge> = {
  // builtins
  print: light('ordered'),
  input: { work: 'io', effect: 'ordered', blocking: true },
  // a prompt on the terminal, like `input`: one person answers them one at a time, in order
  'getpass.getpass': { work: 'io', effect: 'ordered', blocking: true },
  open: io('file'),
  next: light('stateful'),
  exec: light('stateful'),
  eval: light('stateful'),
  setattr: light('stateful'),
  delattr: light('stateful'),
  globals: light('stateful'),
  vars: light('stateful'),
  breakpoint: light('ordered'),
  // Yahoo Finance's download of one or more symbols' prices: a request (per symbol) to its API
  'yfinance.download': io('network'),
  // parsing a web page into a tree of Python objects: milliseconds a page, under the GIL
  'bs4.BeautifulSoup': cpu(),
  // pandas reading a table from a file: parsing it is the work (from a millisecond to seconds, with the file's size);
  // a workbook is parsed in pure Python (openpyxl), tens of milliseconds at the least
  'pandas.read_csv': cpu(),
  'pandas.read_table': cpu(),
  'pandas.read_json': cpu(),
  // Parquet and Feather are decoded by Arrow in C++, outside the GIL (round 27: six parquet reads ran as well in
  // threads as one after the other, and 15× slower in processes, which pickled the frames back)
  'pandas.read_parquet': cpuFreeingGil(),
  'pandas.read_feather': cpuFreeingGil(),
  'pandas.read_excel': cpu(),
  // a time-series model chosen and fitted in one call: many candidate models fitted in Python and SciPy
  'pmdarima.auto_arima': cpu(),
  'pmdarima.arima.auto_arima': cpu(),
  // pymatgen's parsers of VASP output: a run's whole XML or OUTCAR read and parsed in Python
  'pymatgen.io.vasp.Vasprun': cpu(),
  'pymatgen.io.vasp.outputs.Vasprun': cpu(),
  'pymatgen.io.vasp.Outcar': cpu(),
  'pymatgen.io.vasp.outputs.Outcar': cpu(),
  // OpenCV: decoding, resampling and filtering images in C++, which lets other threads run
  'cv2.imread': cpuFreeingGil(),
  'cv2.imdecode': cpuFreeingGil(),
  'cv2.imwrite': cpuFreeingGil(),
  'cv2.imencode': cpuFreeingGil(),
  'cv2.resize': cpuFreeingGil(),
  'cv2.cvtColor': cpuFreeingGil(),
  'cv2.GaussianBlur': cpuFreeingGil(),
  'cv2.medianBlur': cpuFreeingGil(),
  'cv2.bilateralFilter': cpuFreeingGil(),
  'cv2.Canny': cpuFreeingGil(),
  'cv2.warpAffine': cpuFreeingGil(),
  'cv2.warpPerspective': cpuFreeingGil(),
  'cv2.matchTemplate': cpuFreeingGil(),
  // the other image readers decode in C as OpenCV does (a TIFF slide, a PNG, a JPEG)
  'tifffile.imread': cpuFreeingGil(),
  'imageio.imread': cpuFreeingGil(),
  'imageio.v2.imread': cpuFreeingGil(),
  'imageio.v3.imread': cpuFreeingGil(),
  'skimage.io.imread': cpuFreeingGil(),
  // writing an array, a model or an object to the file it names (the loop rules compare the paths): NumPy, joblib,
  // PyTorch, SciPy and the image and audio writers (round 54: `np.save` per slide taken for hidden shared state)
  'numpy.save': io('file'),
  'numpy.savez': io('file'),
  'numpy.savez_compressed': io('file'),
  'numpy.savetxt': io('file'),
  'joblib.dump': io('file'),
  'torch.save': io('file'),
  'scipy.io.savemat': io('file'),
  'tifffile.imwrite': io('file'),
  'imageio.imwrite': io('file'),
  'imageio.v2.imwrite': io('file'),
  'imageio.v3.imwrite': io('file'),
  'skimage.io.imsave': io('file'),
  'soundfile.write': io('file'),
  // CPU-heavy standard library calls
  'hashlib.pbkdf2_hmac': cpuFreeingGil(),
  'hashlib.scrypt': cpuFreeingGil(),
  // password hashing, slow by design (a bcrypt cost of 12, ≈ 0.2–0.3 s; Werkzeug's and Django's defaults are
  // hundreds of thousands of PBKDF2 rounds or scrypt): the C code lets other threads run
  'bcrypt.hashpw': cpuFreeingGil(),
  'bcrypt.checkpw': cpuFreeingGil(),
  'bcrypt.kdf': cpuFreeingGil(),
  'werkzeug.security.generate_password_hash': cpuFreeingGil(),
  'werkzeug.security.check_password_hash': cpuFreeingGil(),
  'django.contrib.auth.hashers.make_password': cpuFreeingGil(),
  'django.contrib.auth.hashers.check_password': cpuFreeingGil(),
  'zlib.compress': cpuFreeingGil(),
  'zlib.decompress': cpuFreeingGil(),
  'gzip.compress': cpuFreeingGil(),
  'gzip.decompress': cpuFreeingGil(),
  'bz2.compress': cpuFreeingGil(),
  'bz2.decompress': cpuFreeingGil(),
  'lzma.compress': cpuFreeingGil(),
  'lzma.decompress': cpuFreeingGil(),
  'ast.parse': cpu(),
  'difflib.SequenceMatcher': cpu(),
  'difflib.get_close_matches': cpu(),
  'difflib.unified_diff': cpu(),
  'math.factorial': cpu(),
  'math.comb': cpu(),
  'math.perm': cpu(),
  'math.prod': light(),
  'pow': light(),
  'sorted': light(),
  'statistics.median': light(),
  // PyYAML parses in Python (its C loader only when asked for): milliseconds per kilobyte, CPU-bound whatever the
  // stream (round 59: YAML files converted to JSON, called file work)
  'yaml.safe_load': cpu(),
  'yaml.load': cpu(),
  'yaml.full_load': cpu(),
  'yaml.unsafe_load': cpu(),
  'json.dumps': light(),
  'json.loads': light(),
  'pickle.dumps': light(),
  'pickle.loads': light(),
  // to and from a file object the code opened (as `json.dump`/`json.load`): the file's own effects are judged where
  // it is opened (the path it names), not as a call unseen
  'pickle.dump': light(),
  'pickle.load': light(),
  'copy.deepcopy': light(),
  // dataclasses: copies of an instance's fields into new dicts, tuples or instances; the fields themselves
  'dataclasses.asdict': light(),
  'dataclasses.astuple': light(),
  'dataclasses.fields': light(),
  'dataclasses.replace': light(),
  'dataclasses.is_dataclass': light(),
  // blocking I/O
  'time.sleep': io('sleep'),
  // Biopython's NCBI E-utilities client: one HTTPS request to eutils.ncbi.nlm.nih.gov per call
  'Bio.Entrez.esearch': io('network'),
  'Bio.Entrez.efetch': io('network'),
  'Bio.Entrez.esummary': io('network'),
  'Bio.Entrez.elink': io('network'),
  'Bio.Entrez.einfo': io('network'),
  'Bio.Entrez.epost': io('network'),
  'Bio.Entrez.egquery': io('network'),
  'Bio.Entrez.espell': io('network'),
  'Bio.Entrez.ecitmatch': io('network'),
  'urllib.request.urlopen': io('network'),
  'urllib.request.urlretrieve': io('network'),
  // openai < 1.0: module-level requests (answered in seconds)
  'openai.ChatCompletion.create': io('network'),
  'openai.Completion.create': io('network'),
  'openai.Embedding.create': io('network'),
  'litellm.completion': io('network'),
  'litellm.text_completion': io('network'),
  'litellm.embedding': io('network'),
  'subprocess.run': io('process'),
  'subprocess.call': io('process'),
  'subprocess.check_call': io('process'),
  'subprocess.check_output': io('process'),
  // starting a process does not wait for it: `.wait()` / `.communicate()` on it does (see effects.ts)
  'subprocess.Popen': { work: 'light', effect: 'io' },
  'os.system': io('process'),
  'os.popen': io('process'),
  // third-party calls that run another program and wait for it
  'pytesseract.image_to_string': io('process'),
  'pytesseract.image_to_data': io('process'),
  'pytesseract.image_to_boxes': io('process'),
  'pytesseract.image_to_osd': io('process'),
  'pytesseract.image_to_pdf_or_hocr': io('process'),
  'os.listdir': io('file'),
  'os.stat': io('file'),
  'os.scandir': io('file'),
  'os.walk': io('file'),
  'os.path.getsize': io('file'),
  'os.path.exists': io('file'),
  'os.path.isfile': io('file'),
  'os.path.isdir': io('file'),
  'shutil.copy': io('file'),
  'shutil.copyfile': io('file'),
  'shutil.copy2': io('file'),
  'shutil.move': io('file'),
  'shutil.copytree': io('file'),
  'shutil.rmtree': io('file'),
  // deleting and renaming: what the path names is judged as a file written (effects.fileWrite), not as a call unseen
  'os.remove': io('file'),
  'os.unlink': io('file'),
  'os.rename': io('file'),
  'os.renames': io('file'),
  'os.replace': io('file'),
  'os.rmdir': io('file'),
  'os.mkdir': io('file'),
  'os.makedirs': io('file'),
  'sqlite3.connect': io('file'),
  // pure conversions in modules otherwise about the network
  'socket.ntohs': light(),
  'socket.ntohl': light(),
  'socket.htons': light(),
  'socket.htonl': light(),
  'socket.inet_aton': light(),
  'socket.inet_ntoa': light(),
  'socket.inet_pton': light(),
  'socket.inet_ntop': light(),
  'smtplib.quoteaddr': light(),
  'smtplib.quotedata': light(),
  // context managers that only shape control flow
  'contextlib.suppress': light(),
  'contextlib.nullcontext': light(),
  // making a boto3 session or client reads local configuration; the client's API methods are the requests
  // (httpClients.ts)
  // aiohttp's settings and helper objects: built in memory, no request (round 68: a timeout called I/O)
  'aiohttp.ClientTimeout': light(),
  'aiohttp.TCPConnector': light(),
  'aiohttp.BasicAuth': light(),
  'aiohttp.FormData': light(),
  'aiohttp.CookieJar': light(),
  'boto3.client': light(),
  'boto3.resource': light(),
  'boto3.Session': light(),
  'boto3.session.Session': light(),
  'socket.create_connection': io('network'),
  // google-play-scraper: each call fetches Play Store pages (round 60: review scrapers said to do no work)
  'google_play_scraper.app': io('network'),
  'google_play_scraper.reviews': io('network'),
  'google_play_scraper.reviews_all': io('network'),
  'google_play_scraper.search': io('network'),
  'google_play_scraper.permissions': io('network'),
  // making a socket is a system call of microseconds: its `connect`, `recv`, `sendall`… wait (httpClients.ts);
  // round 59: 10,000 sockets made and closed to time the call, reported as a thread pool's work
  'socket.socket': light(),
  'socket.getaddrinfo': io('network'),
  'socket.gethostbyname': io('network'),
  'socket.gethostbyname_ex': io('network'),
  'socket.gethostbyaddr': io('network'),
  'socket.getfqdn': io('network'),
  'socket.getnameinfo': io('network'),
  // a TLS context (the system's certificates loaded into it): a few milliseconds, nothing another call shares
  'ssl.create_default_context': light(),
  'io.open': io('file'),
  'io.FileIO': io('file'),
  // in-memory buffers: a fresh object per call, nothing another call shares
  'io.StringIO': light(),
  'io.BytesIO': light(),
  'codecs.open': io('file'),
  // asyncio: awaiting a sleep or a gather waits without blocking the loop
  'asyncio.sleep': asyncIo('sleep'),
  'asyncio.open_connection': asyncIo('network'),
  'asyncio.create_subprocess_exec': asyncIo('process'),
  'asyncio.create_subprocess_shell': asyncIo('process'),
  'asyncio.to_thread': { work: 'io', effect: 'io' },
  // ordered output
  // ending the program raises SystemExit: in a worker, the map raises it in the parent when it reaches that item
  'sys.exit': light(),
  'sys.stdout.write': light('ordered'),
  'sys.stderr.write': light('ordered'),
  'sys.stdout.buffer.write': light('ordered'),
  'sys.stderr.buffer.write': light('ordered'),
  'sys.stdout.buffer.flush': light('ordered'),
  // a write to a descriptor (a pty, a pipe, a device): what the other end reads comes in the order written
  'os.write': light('ordered'),
  'sys.stdout.flush': light('ordered'),
  'pprint.pprint': light('ordered'),
  // hidden shared state
  'random.Random': light(),
  'random.SystemRandom': light(),
  // a new generator (seeded from the item, or from the OS's entropy): its own state, which no other iteration reads
  'numpy.random.default_rng': light(),
  'numpy.random.Generator': light(),
  'numpy.random.RandomState': light(),
  'numpy.random.SeedSequence': light(),
  'numpy.random.PCG64': light(),
  'numpy.random.PCG64DXSM': light(),
  'numpy.random.MT19937': light(),
  'numpy.random.Philox': light(),
  'numpy.random.SFC64': light(),
  'itertools.count': light(),
  'uuid.uuid4': light(),
  'uuid.uuid1': light('stateful'),
  'time.time': light(),
  'time.perf_counter': light(),
  'time.monotonic': light(),
  // conversions between times and text: computed from the arguments alone (`strptime` called to validate a date
  // raises or not, and does nothing else)
  'time.strptime': light(),
  'time.strftime': light(),
  'time.gmtime': light(),
  'time.localtime': light(),
  'time.mktime': light(),
  'time.asctime': light(),
  'time.ctime': light(),
  'time.time_ns': light(),
  'time.perf_counter_ns': light(),
  'time.monotonic_ns': light(),
  'time.process_time': light(),
  'os.getpid': light(),
  'os.getppid': light(),
  'os.cpu_count': light(),
  // the process's working directory and identity: reads of what the process holds (a `chdir` is its own finding)
  'os.getcwd': light(),
  'os.getcwdb': light(),
  'os.getuid': light(),
  'os.getgid': light(),
  // reads of the process's environment: a lookup in a dict the process holds
  'os.getenv': light(),
  'os.environ.get': light(),
  // values of the HTTP libraries built in memory: a response, request, header set or URL made by hand (a test's
  // mocked reply, a request prepared before it is sent) opens no connection and waits on nothing
  'httpx.Response': light(),
  'httpx.Request': light(),
  'httpx.Headers': light(),
  'httpx.URL': light(),
  'httpx.QueryParams': light(),
  'httpx.Cookies': light(),
  'httpx.Timeout': light(),
  'httpx.Limits': light(),
  // making a session (or an adapter, an auth) sends nothing: its requests do
  'requests.Session': light(),
  'requests.session': light(),
  'requests.sessions.Session': light(),
  'requests.adapters.HTTPAdapter': light(),
  'requests.auth.HTTPBasicAuth': light(),
  'requests.auth.HTTPDigestAuth': light(),
  'requests.Response': light(),
  'requests.Request': light(),
  'requests.models.Response': light(),
  'requests.models.Request': light(),
  'requests.structures.CaseInsensitiveDict': light(),
  'urllib.request.Request': light(),
  // the status-code enums of the HTTP libraries: `httpx.codes(404)`, a lookup in memory
  'httpx.codes': light(),
  // the collector of this process (a worker's own): nothing another iteration sees
  'gc.collect': light(),
};

/** Qualified-name prefixes (module-wide knowledge), checked after EXACT. Longest prefix wins. */
const PREFIX: Array<[string, CallKnowledge]> = [
  ['hashlib.', cpuFreeingGil()],
  ['re.', { work: 'cpu', effect: 'pure', sizeDependent: true }],
  ['regex.', { work: 'cpu', effect: 'pure', sizeDependent: true }],
  ['unicodedata.', light()],
  ['random.', light('stateful')],
  ['numpy.random.', light('stateful')],
  // drawn from the operating system's pool (os.urandom): no state of this process to share, lose in a copy or order
  ['secrets.', light()],
  ['logging.', light('ordered')],
  // the screen, the mouse, the keyboard and the speakers: one device each, acted on in order
  ['pyautogui.', light('ordered')],
  ['pynput.', light('ordered')],
  ['keyboard.', light('ordered')],
  ['mouse.', light('ordered')],
  ['winsound.', light('ordered')],
  ['playsound.', light('ordered')],
  ['pyttsx3.', light('ordered')],
  ['turtle.', light('ordered')],
  ['warnings.', light('ordered')],
  ['asyncio.', light()],
  ['aiohttp.', asyncIo('network')],
  ['aiofiles.', asyncIo('file')],
  ['requests.', io('network')],
  ['httpx.', io('network')],
  // status codes and their helpers (`httpx.codes.is_server_error(code)`, `requests.codes.ok`): an enum's range checks
  // and reason phrases, computed in memory — no request is sent
  ['httpx.codes.', light()],
  ['requests.codes.', light()],
  ['requests.status_codes.', light()],
  // helpers that build or take apart requests in memory (`requests.utils.quote`, `requests.auth.HTTPBasicAuth`,
  // `httpx.URL(…)`): string and header work, no request is sent
  ['requests.utils.', light()],
  ['requests.compat.', light()],
  ['requests.structures.', light()],
  ['requests.auth.', light()],
  ['requests.exceptions.', light()],
  ['requests.adapters.', light()],
  ['httpx.URL', light()],
  ['httpx.Headers', light()],
  ['httpx.QueryParams', light()],
  ['httpx.Timeout', light()],
  ['httpx.Limits', light()],
  ['urllib.request.quote', light()],
  ['urllib.request.unquote', light()],
  ['urllib.request.pathname2url', light()],
  ['urllib.request.url2pathname', light()],
  // the proxy settings are read from the environment (the registry, the system configuration): no request is made;
  // openers and handlers are built, not used (round 57: a client builder said to wait on the network)
  ['urllib.request.getproxies', light()],
  ['urllib.request.proxy_bypass', light()],
  ['urllib.request.build_opener', light()],
  ['urllib.request.install_opener', light('stateful')],
  ['urllib.request.ProxyHandler', light()],
  ['urllib.request.HTTPCookieProcessor', light()],
  ['urllib.request.HTTPHandler', light()],
  ['urllib.request.HTTPSHandler', light()],
  ['urllib.request.HTTPRedirectHandler', light()],
  ['urllib.request.HTTPBasicAuthHandler', light()],
  ['urllib.request.HTTPPasswordMgrWithDefaultRealm', light()],
  ['urllib3.', io('network')],
  ['urllib.request.', io('network')],
  ['http.client.', io('network')],
  // the module's tables and constants (`http.client.responses.get(code)`: the reason phrase of a status code)
  ['http.client.responses', light()],
  ['http.client.HTTPException', light()],
  ['http.HTTPStatus', light()],
  ['ftplib.', io('network')],
  ['smtplib.', io('network')],
  ['psycopg2.', io('network')],
  ['psycopg.', io('network')],
  // queries composed in memory (`sql.SQL("… {}").format(sql.Identifier(col))`), adapters wrapping a value and the
  // error classes: nothing reaches the server before `cursor.execute`
  ['psycopg2.sql.', light()],
  ['psycopg.sql.', light()],
  ['psycopg2.errors.', light()],
  ['psycopg.errors.', light()],
  ['psycopg2.extras.Json', light()],
  ['psycopg2.extensions.AsIs', light()],
  ['psycopg2.Binary', light()],
  ['pymysql.', io('network')],
  ['boto3.', io('network')],
  ['paramiko.', io('network')],
  // network automation (round 43): netmiko's `ConnectHandler(...)` opens the SSH session when called, pysnmp's
  // commands send SNMP requests and wait for the answers, ncclient connects to a device's NETCONF server
  ['netmiko.', io('network')],
  ['pysnmp.hlapi.getCmd', io('network')],
  ['pysnmp.hlapi.nextCmd', io('network')],
  ['pysnmp.hlapi.bulkCmd', io('network')],
  ['pysnmp.hlapi.setCmd', io('network')],
  ['ncclient.manager.connect', io('network')],
  ['shutil.', io('file')],
  ['glob.', io('file')],
  ['socket.', io('network')],
  ['subprocess.', io('process')],
  ['math.', light()],
  ['cmath.', light()],
  ['operator.', light()],
  ['string.', light()],
  ['textwrap.', light()],
  ['os.path.', light()],
  ['posixpath.', light()],
  // paths built in memory (`Path(td) / "repo"`: the file system is touched by their methods, judged as such)
  ['pathlib.PurePath', light()],
  ['pathlib.PurePosixPath', light()],
  ['pathlib.PureWindowsPath', light()],
  ['pathlib.Path', light()],
  // a temporary file or folder of its own per call (a name the system makes unique): nothing another call shares
  ['tempfile.TemporaryDirectory', light()],
  ['tempfile.NamedTemporaryFile', light()],
  ['tempfile.TemporaryFile', light()],
  ['tempfile.SpooledTemporaryFile', light()],
  ['tempfile.mkdtemp', light()],
  ['tempfile.mkstemp', light()],
  ['tempfile.gettempdir', light()],
  ['fractions.', light()],
  ['decimal.', light()],
  ['statistics.', light()],
  ['bisect.', light()],
  ['heapq.', light()],
  ['base64.', light()],
  ['binascii.', light()],
  ['struct.', light()],
  ['colorsys.', light()],
  ['itertools.', light()],
  ['functools.', light()],
  ['collections.', light()],
  ['datetime.', light()],
  ['calendar.', light()],
  ['json.', light()],
  ['csv.', light()],
  // building and parsing messages in memory (`EmailMessage()`, `Address(…)`, `email.utils.formatdate()`)
  ['email.', light()],
  ['html.', light()],
  ['urllib.parse.', light()],
  ['ipaddress.', light()],
  ['unittest.', light('ordered')],
];

/** Builtins that return a value and do nothing else. */
const PURE_BUILTINS = new Set(
  (
    'abs all any ascii bin bool bytearray bytes callable chr complex dict divmod enumerate filter float format ' +
    'frozenset getattr hasattr hash hex id int isinstance issubclass iter len list map max min object oct ord pow ' +
    'range repr reversed round set slice sorted str sum tuple type zip memoryview'
  ).split(' '),
);

export function isPureBuiltin(name: string): boolean {
  return PURE_BUILTINS.has(name);
}

/**
 * Top-level modules of the standard library (Python 3.11's `sys.stdlib_module_names`, private ones left out):
 * isort and Ruff put them in their own section, before third-party and first-party imports; a call into any
 * other module the table does not know is a library the analysis cannot see into.
 */
const STDLIB_MODULES = new Set(
  (
    'abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect ' +
    'builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall ' +
    'concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm ' +
    'decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp ' +
    'fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip ' +
    'hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword ' +
    'lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt ' +
    'multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev ' +
    'pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats ' +
    'pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource ' +
    'rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket ' +
    'socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct ' +
    'subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this ' +
    'threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types ' +
    'typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref ' +
    'xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo'
  ).split(' '),
);

/** Whether `module` (`os.path`, `json`) belongs to the standard library. */
export function isStdlibModule(module: string): boolean {
  return STDLIB_MODULES.has(module.split('.')[0] ?? '');
}

/** The builtin exception classes: constructing one only stores its arguments. */
export const BUILTIN_EXCEPTIONS = new Set(
  (
    'Exception BaseException ValueError TypeError KeyError IndexError RuntimeError StopIteration ZeroDivisionError AttributeError NameError OSError IOError FileNotFoundError NotImplementedError ArithmeticError LookupError AssertionError ImportError ModuleNotFoundError UnicodeDecodeError UnicodeEncodeError PermissionError TimeoutError ConnectionError OverflowError RecursionError SystemExit KeyboardInterrupt GeneratorExit Warning UserWarning DeprecationWarning ' +
    'FileExistsError IsADirectoryError NotADirectoryError ProcessLookupError ChildProcessError BrokenPipeError ConnectionResetError ConnectionAbortedError ConnectionRefusedError InterruptedError BlockingIOError EnvironmentError ' +
    'SyntaxError IndentationError TabError EOFError MemoryError SystemError BufferError FloatingPointError ReferenceError UnboundLocalError UnicodeError UnicodeTranslateError StopAsyncIteration ExceptionGroup BaseExceptionGroup ' +
    'RuntimeWarning FutureWarning PendingDeprecationWarning SyntaxWarning ImportWarning UnicodeWarning BytesWarning ResourceWarning EncodingWarning'
  ).split(' '),
);

export const BUILTIN_NAMES = new Set([
  ...PURE_BUILTINS,
  ...'print input open next exec eval setattr delattr globals locals vars breakpoint compile help dir super staticmethod classmethod property __import__ NotImplemented Ellipsis None True False __name__ __file__ __doc__ __builtins__ __debug__'.split(' '),
  ...BUILTIN_EXCEPTIONS,
]);

export function lookupCall(qualified: string): CallKnowledge | undefined {
  const exact = EXACT[qualified];
  if (exact) return exact;
  if (PURE_BUILTINS.has(qualified)) return light();
  let best: CallKnowledge | undefined;
  let bestLength = 0;
  for (const [prefix, knowledge] of PREFIX) {
    if (qualified.startsWith(prefix) && prefix.length > bestLength) {
      best = knowledge;
      bestLength = prefix.length;
    }
  }
  return best;
}

/** Methods that change the object they are called on. */
export const MUTATING_METHODS = new Set(
  (
    'append extend insert remove pop clear sort reverse add discard update setdefault popitem ' +
    'difference_update intersection_update symmetric_difference_update appendleft extendleft popleft rotate ' +
    'put put_nowait get_nowait'
  ).split(' '),
);

/**
 * Methods that, called for effect on an object made in the iteration (a file, a process), act on that object
 * alone: closing it, waiting for it, ending it.
 */
export const RECEIVER_ONLY_METHODS = new Set('close communicate wait kill terminate'.split(' '));

/**
 * Methods that write somewhere the user can see, in call order (`console.print(…)`: rich's Console, or a logger-like
 * object of the project).
 */
export const ORDERED_METHODS = new Set('write writelines send sendall sendto flush print print_exc info debug warning warn error exception critical log'.split(' '));

/** Methods of random generators and iterators: results depend on how many calls came before. */
export const STATEFUL_METHODS = new Set(
  (
    'random randint randrange uniform gauss normalvariate choice choices shuffle sample seed getrandbits ' +
    'betavariate expovariate triangular integers normal standard_normal __next__ readline'
  ).split(' '),
);

/** Methods that only read their receiver (str, bytes, list, dict, set, tuple, int, float, Path, Match, Pattern, hash objects). */
export const READ_ONLY_METHODS = new Set(
  (
    'lower upper strip lstrip rstrip split rsplit splitlines join replace startswith endswith find rfind index rindex ' +
    'count format format_map encode decode casefold capitalize title swapcase center ljust rjust zfill partition ' +
    'rpartition expandtabs isdigit isalpha isalnum isspace islower isupper isnumeric isdecimal isidentifier istitle ' +
    'translate maketrans removeprefix removesuffix hex fromhex get keys values items copy union intersection ' +
    'difference symmetric_difference issubset issuperset isdisjoint bit_length is_integer conjugate ' +
    'hexdigest digest group groups groupdict span start end match search fullmatch findall finditer sub subn ' +
    'most_common total elements tolist astype sum mean std min max round ' +
    // a named tuple's copy with fields replaced, and its fields as a dict: new objects, the tuple unchanged
    '_replace _asdict to_bytes from_bytes'
  ).split(' '),
);

/** File-like reads: I/O on a handle the iteration opened itself. */
export const IO_METHODS = new Set(
  'read readlines read_text read_bytes write_text write_bytes iterdir glob rglob stat exists open execute fetchall fetchone executemany commit recv'.split(' '),
);

/** What the I/O methods wait for, where the name tells (a database cursor's may be a file or a server). */
export const METHOD_WAITS: Record<string, WaitKind> = {
  read: 'file',
  readlines: 'file',
  read_text: 'file',
  read_bytes: 'file',
  write_text: 'file',
  write_bytes: 'file',
  iterdir: 'file',
  glob: 'file',
  rglob: 'file',
  stat: 'file',
  exists: 'file',
  open: 'file',
  write: 'file',
  writelines: 'file',
  flush: 'file',
  recv: 'network',
  send: 'network',
  sendall: 'network',
  sendto: 'network',
};

/**
 * Methods of an HTTP response (requests, httpx) that read what the request already received: the request call
 * is the I/O, not these. Called for effect (`r.raise_for_status()`) they only look at the response.
 */
export const RESPONSE_METHODS = new Set(['json', 'raise_for_status']);

/**
 * Methods of a streamed HTTP response (requests' `stream=True`, httpx's `stream()`) that read its body from the
 * connection as they go: each chunk is a network wait, whatever sent the request.
 */
export const BODY_STREAM_METHODS = new Set(['iter_content', 'iter_bytes', 'iter_raw', 'aiter_bytes', 'aiter_raw']);

/** Methods of a client or session object (`requests.Session`, `httpx.Client`) that send a request. */
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

/** Methods that wait for a started process (`subprocess.Popen`) to end. */
export const PROCESS_WAIT_METHODS = new Set(['wait', 'communicate']);

/**
 * Blocking calls that have no business in an `async def` (PAR203), by qualified name. Each is a
 * module-level function that is safe to run on another thread; `time.sleep` has an awaitable twin.
 */
export const BLOCKING_IN_ASYNC = new Set(
  (
    'time.sleep urllib.request.urlopen urllib.request.urlretrieve os.system ' +
    'subprocess.run subprocess.call subprocess.check_call subprocess.check_output subprocess.getoutput subprocess.getstatusoutput ' +
    'requests.get requests.post requests.put requests.patch requests.delete requests.head requests.options requests.request ' +
    'httpx.get httpx.post httpx.put httpx.patch httpx.delete httpx.head httpx.options httpx.request ' +
    'shutil.copy shutil.copy2 shutil.copyfile shutil.copyfileobj shutil.copytree shutil.move shutil.rmtree ' +
    'socket.create_connection socket.getaddrinfo socket.gethostbyname socket.gethostbyname_ex socket.gethostbyaddr socket.getfqdn socket.getnameinfo ' +
    'openai.ChatCompletion.create openai.Completion.create openai.Embedding.create litellm.completion litellm.text_completion litellm.embedding'
  ).split(' '),
);

/** Methods of an open file (or a `pathlib.Path`) that wait on the disk. */
export const FILE_BLOCKING_METHODS = new Set(['read', 'readlines', 'write', 'writelines']);
export const PATH_BLOCKING_METHODS = new Set(['read_text', 'read_bytes', 'write_text', 'write_bytes']);

/**
 * Library calls heavy enough to stall an event loop (PAR204). All of them release the GIL while they
 * compute (so a thread would overlap them too); their results are plain bytes / lists, which pickle.
 */
export const HEAVY_CPU_CALLS = new Set(
  (
    'hashlib.pbkdf2_hmac hashlib.scrypt zlib.compress zlib.decompress gzip.compress gzip.decompress ' +
    'bz2.compress bz2.decompress lzma.compress lzma.decompress ' +
    'bcrypt.hashpw bcrypt.checkpw bcrypt.kdf werkzeug.security.generate_password_hash werkzeug.security.check_password_hash ' +
    'django.contrib.auth.hashers.make_password django.contrib.auth.hashers.check_password'
  ).split(' '),
);

/**
 * Classes whose instances hash or check passwords, slow by design (`pwd_context = CryptContext(schemes=["bcrypt"])`
 * then `pwd_context.verify(…)`), and those methods: heavy CPU work in C that lets other threads run.
 */
export const PASSWORD_HASHERS = new Set(['passlib.context.CryptContext', 'argon2.PasswordHasher', 'argon2.PasswordHasher.from_parameters']);
export const PASSWORD_HASHER_METHODS = new Set(['hash', 'verify', 'encrypt', 'verify_and_update', 'needs_update']);

/**
 * Library calls that are work by nature for a loop's cost (see `Work.heavy`): the ones above, and an image file
 * decoded or encoded by OpenCV — milliseconds for a photo. One such call in a coroutine is not always worth moving
 * off the event loop (a thumbnail), so they are not PAR204's. (A page parsed with BeautifulSoup is heavy only over
 * a whole document: see cost.ts.)
 */
export const HEAVY_WORK_CALLS = new Set([
  ...HEAVY_CPU_CALLS,
  ...(
    'cv2.imread cv2.imdecode cv2.imwrite cv2.imencode pandas.read_excel pmdarima.auto_arima pmdarima.arima.auto_arima ' +
    // pymatgen's parsers of VASP output: a whole run's XML or OUTCAR parsed in Python, seconds for a real run
    'pymatgen.io.vasp.Vasprun pymatgen.io.vasp.outputs.Vasprun pymatgen.io.vasp.Outcar pymatgen.io.vasp.outputs.Outcar ' +
    // rendering the current figure to a file: laying it out and rasterising it
    'matplotlib.pyplot.savefig ' +
    // a PDF's pages rasterised (poppler, 200 dpi by default) or its tables extracted: tenths of a second to seconds
    'pdf2image.convert_from_path pdf2image.convert_from_bytes camelot.read_pdf ' +
    // a YAML document parsed in Python: its cost follows its length (not heavy whatever its input)
    'yaml.safe_load yaml.load yaml.full_load yaml.unsafe_load'
  ).split(' '),
]);

const FOREIGN_EVENT_LOOP = /^[ \t]*(?:import|from)[ \t]+(trio|anyio|curio)\b/m;

/**
 * The event-loop library other than asyncio a module imports (`trio`, `anyio`, `curio`), or null: its coroutines
 * do not run under asyncio, so `asyncio.gather`, `asyncio.sleep` and `run_in_executor` rewrites do not apply.
 * A fact about the whole module (incremental analysis starts over when it changes).
 */
export function foreignEventLoop(text: string): string | null {
  // asked for every loop in a coroutine: the last text's answer is kept
  if (text !== lastText) {
    lastText = text;
    // most modules name none of the three: the plain searches spare the line-by-line pattern
    lastLoop = text.includes('trio') || text.includes('anyio') || text.includes('curio') ? (FOREIGN_EVENT_LOOP.exec(text)?.[1] ?? null) : null;
  }
  return lastLoop;
}

let lastText: string | undefined;
let lastLoop: string | null = null;

// `import asyncio`, also in a list (`import pyrogram, time, asyncio`), or `from asyncio import …`
const ASYNCIO_IMPORT = /^[ \t]*(?:import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*asyncio\b(?!\.)|from[ \t]+asyncio[ \t]+import\b)/m;

/** Frameworks whose coroutines only ever run on asyncio's event loop: bots' clients and aiohttp (round 41: Pyrogram handlers). */
const ASYNCIO_FRAMEWORK = /^[ \t]*(?:import|from)[ \t]+(?:pyrogram|telethon|aiogram|discord|nextcord|disnake|aiohttp|telegram\.ext)\b/m;

/**
 * The doubt on an asyncio rewrite in a module that does not import asyncio: its coroutines may be run by another
 * event loop (trio, anyio, a framework's), where `asyncio.sleep`, `to_thread` and `gather` fail. Null when it does.
 */
export function asyncioDoubt(text: string): string | null {
  if (ASYNCIO_IMPORT.test(text) || ASYNCIO_FRAMEWORK.test(text)) return null;
  return 'this module does not import asyncio: its coroutines may run under another event loop (trio, anyio), where the asyncio calls of the fix fail';
}

/**
 * Services that answer a client's requests one at a time, whatever the client sends: a local Ollama server's
 * embedding API (one slot per embedding model), and public APIs whose terms ask for requests in series. Matched on
 * the request's URL (as spelled, or through a module constant). `local`: the module must also name the server.
 */
export interface SerialService {
  key: string;
  url: RegExp;
  local?: RegExp;
  /** Also when the URL is built in a way not followed, in a module whose text names this service's host and no other. */
  soleHost?: true;
  kind: 'not-worth-it' | 'rate-limit';
  why: string;
  remedy: string;
}

export const SERIAL_SERVICES: readonly SerialService[] = [
  {
    key: 'smtp-session',
    url: /(?!)/,
    kind: 'not-worth-it',
    why: "opens a session with a mail server (connect, TLS, login) for every item: one session sends any number of messages, and mail servers limit the sessions and logins an account may have at once (Gmail refuses them) — a pool would open them all together",
    remedy: 'open one session before the loop (`with smtplib.SMTP(host, port) as server: server.starttls(); server.login(…)`) and send every message through it',
  },
  {
    key: 'ollama-embeddings',
    url: /\/api\/embed(?:dings)?\b/,
    local: /ollama|:11434\b/i,
    kind: 'not-worth-it',
    why: "asks an Ollama server for embeddings, one request per item: Ollama runs an embedding model's requests one at a time, so sent at once they would queue at the server and the loop would take about as long",
    remedy: 'send the texts in batches: `/api/embed` takes a list (`{"model": …, "input": [text, …]}`) and returns one embedding per text, in order',
  },
  {
    key: 'arxiv-api',
    url: /export\.arxiv\.org/,
    kind: 'rate-limit',
    why: "calls the arXiv API, whose terms of use allow one connection at a time and no more than one request every three seconds: a pool would send them at once",
    remedy: 'keep the requests in series, three seconds apart, and ask for more results per request (`max_results`) instead',
  },
  {
    key: 'lichess-api',
    url: /lichess\.org\/(?:api|game\/export)\b/,
    kind: 'rate-limit',
    why: "calls the Lichess API, whose terms ask for one request at a time (a refused request, HTTP 429, means waiting a full minute): a pool would send them at once",
    remedy: 'keep the requests in series; ask for more per request where the API allows it (a user\'s games come as one stream from `/api/games/user/{name}`)',
  },
  {
    key: 'chess-com-api',
    url: /api\.chess\.com\/pub\b/,
    kind: 'rate-limit',
    why: "calls Chess.com's published-data API, which serves requests made one after another without limit but may refuse parallel ones (HTTP 429): a pool would send them at once",
    remedy: 'keep the requests in series (the archives of a month come in one request)',
  },
  {
    key: 'codeforces-api',
    url: /codeforces\.com\/api\//,
    kind: 'rate-limit',
    why: "calls the Codeforces API, which answers at most one call every two seconds per client (more fail with `\"status\": \"FAILED\"` and \"Call limit exceeded\", not a result): a pool would send them at once",
    remedy: 'keep the requests in series, two seconds apart; ask for more per call where the method allows it (`user.info` takes many handles, `contest.standings` pages with `from`/`count`)',
  },
  {
    key: 'shopify-graphql',
    url: /\/admin\/api\/[^'"\s]*graphql\.json/,
    kind: 'rate-limit',
    why: "calls Shopify's GraphQL Admin API, which limits each app on a store by query cost (a bucket of points refilled at a fixed rate, 50 a second on standard plans): requests sent at once drain the bucket together and come back `THROTTLED`",
    remedy: 'keep the requests in series, paced by the cost the answers report (`extensions.cost.throttleStatus`), and ask for more per query; for large reads, a bulk operation (`bulkOperationRunQuery`) runs on Shopify\'s side',
  },
  {
    key: 'ncbi-eutils',
    url: /eutils\.ncbi\.nlm\.nih\.gov/,
    kind: 'rate-limit',
    why: "calls NCBI's E-utilities, which allow three requests a second per client (ten with an API key) and block clients that send more: a pool would send them at once",
    remedy: 'keep the requests in series, a third of a second apart (Biopython\'s `Entrez` spaces its own calls so), and ask for many records per request (`efetch` takes up to 200 ids per call, more with `epost` and the history server)',
  },
  {
    key: 'nominatim',
    url: /nominatim\.openstreetmap\.org/,
    kind: 'rate-limit',
    why: 'calls the public Nominatim geocoder, whose usage policy allows at most one request per second and no bulk geocoding in parallel: a pool would send them at once',
    remedy: 'keep the requests in series, one per second (cache the answers), or run a Nominatim server of your own for bulk work',
  },
  {
    key: 'musicbrainz',
    url: /musicbrainz\.org\/ws\//,
    kind: 'rate-limit',
    why: 'calls the MusicBrainz API, which allows one request per second per client: a pool would send them at once',
    remedy: 'keep the requests in series, one per second',
  },
  {
    key: 'github-api',
    url: /api\.github\.com/,
    soleHost: true,
    kind: 'rate-limit',
    why: "calls GitHub's REST API, whose best practices ask integrators to make requests serially, not concurrently (concurrent requests trip its secondary rate limits, and refused requests must wait before retrying): a pool would send them at once",
    remedy: 'keep the requests in series; ask for more per request where the API allows it (`per_page=100`, the GraphQL API for many repositories at once)',
  },
  {
    key: 'mediawiki',
    url: /\.(?:wikipedia|wikimedia|wikidata|wiktionary)\.org\/w\/api\.php/,
    kind: 'rate-limit',
    why: 'calls the MediaWiki API, whose etiquette asks clients to make their requests in series, not in parallel',
    remedy: 'keep the requests in series, and ask for many titles in one request (`titles=A|B|C`, up to 50)',
  },
  // services reached through their SDK's client (API_CLIENTS), not a URL spelled in the code
  {
    key: 'virustotal-api',
    url: /(?!)/,
    kind: 'rate-limit',
    why: "calls the VirusTotal API through `vt.Client`, whose public keys allow four requests a minute (a refused one raises `QuotaExceededError`): a pool would send them at once",
    remedy: 'keep the requests in series at the pace the key allows (a premium key allows more: then a small pool, with one client per thread)',
  },
  {
    key: 'shodan-api',
    url: /(?!)/,
    kind: 'rate-limit',
    why: "calls the Shodan API through `shodan.Shodan`, which allows about one request per second: a pool would send them at once, and the refused ones raise `APIError`",
    remedy: 'keep the requests in series, about one a second',
  },
];

/**
 * Clients of web APIs made by their SDK: each public method sends a request. `service`: the SERIAL_SERVICES entry
 * its requests go to; `threadSafe: false` when one client cannot serve several threads (vt-py's client keeps an
 * aiohttp session bound to the event loop that made it).
 */
export const API_CLIENTS: Record<string, { service?: string; threadSafe: boolean }> = {
  'vt.Client': { service: 'virustotal-api', threadSafe: false },
  'shodan.Shodan': { service: 'shodan-api', threadSafe: true },
  'twilio.rest.Client': { threadSafe: true },
  'googlemaps.Client': { threadSafe: true },
  'gitlab.Gitlab': { threadSafe: true },
  // each call opens its own connection to the game server
  'mcstatus.JavaServer': { threadSafe: true },
  'mcstatus.JavaServer.lookup': { threadSafe: true },
  'mcstatus.BedrockServer': { threadSafe: true },
  'mcstatus.BedrockServer.lookup': { threadSafe: true },
  'mcstatus.MinecraftServer': { threadSafe: true },
  'mcstatus.MinecraftServer.lookup': { threadSafe: true },
};

/**
 * Per-item calls of a service that has a batch form: one request for many items often beats many requests on
 * threads (fewer round trips, fewer throttled calls). Matched on the evidence as the analysis names it.
 */
export const BATCH_FORMS: ReadonlyArray<{ what: RegExp; hint: string }> = [
  { what: /boto3 client\.put_item$/, hint: 'DynamoDB writes 25 items per request with `batch_write_item` (or a `Table` resource\'s `batch_writer()`)' },
  { what: /boto3 client\.delete_object$/, hint: 'S3 deletes up to 1,000 keys per request with `delete_objects`' },
  { what: /boto3 client\.send_message$/, hint: 'SQS sends 10 messages per request with `send_message_batch`' },
  { what: /boto3 client\.put_record$/, hint: 'Kinesis takes up to 500 records per request with `put_records`' },
  { what: /\.embeddings\.create$|^openai\.Embedding\.create$|^litellm\.embedding$/, hint: 'the embeddings API takes a list of texts in one request (`input=[text, …]`), one embedding per text, in order' },
  { what: /boto3 client\.put_metric_data$/, hint: 'CloudWatch takes up to 1,000 metrics per `put_metric_data` request (a list in `MetricData`)' },
];

/** The serial services a module's text names as its own server (`local`): part of what a loop's verdict reads. */
export function namesLocalService(text: string): string {
  return SERIAL_SERVICES.filter((s) => s.local?.test(text)).map((s) => s.key).join(',');
}

/** Module-level LLM requests (openai < 1.0's, LiteLLM's): one HTTPS request each, answered in seconds. */
export const LLM_MODULE_REQUESTS = new Set([
  'openai.ChatCompletion.create',
  'openai.Completion.create',
  'openai.Embedding.create',
  'litellm.completion',
  'litellm.text_completion',
  'litellm.embedding',
]);
