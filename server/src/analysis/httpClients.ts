// Synchronous client objects whose methods wait on the network or the disk: a `requests.Session` (its
// `get`/`post`/… send a request), a `sqlite3` connection or cursor (its `execute`/`commit`/… wait on the
// database file), a boto3 client (each of its API methods is a request to AWS; boto3 documents its clients, not
// its sessions or resources, as safe to share between threads), a socket (`socket.socket()`, `create_connection`,
// an SSL context's `wrap_socket` of one: its `connect`/`recv`/`sendall`/… wait on the network). Recognised by how the name is bound in its scope: only ever to the constructor call
// (`s = requests.Session()`, `with requests.Session() as s:`, `conn = sqlite3.connect(path)`).
import type { SyntaxNode } from '../parser';
import { dottedName, enclosingFunction, namedChildren, returnedValues, tokensSpelled } from '../syntax';
import { importedName, type ModuleInfo, parameterAnnotation, scopeOf, starSources, valuesBound, withItemPattern } from './scope';

/** The methods of a `requests.Session` that send a request. */
export const SESSION_REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

/** Request methods that only read (the server's state is the same whatever order they come in). */
export const READ_ONLY_HTTP = new Set(['get', 'head', 'options']);

/** DB-API methods that run a statement on a cursor or connection, or end its transaction: they change its state. */
export const DB_STATEMENT_METHODS = new Set(['execute', 'executemany', 'executescript', 'commit', 'rollback', 'fetchone', 'fetchall', 'fetchmany']);

/** The methods of a sqlite3 connection or cursor that run SQL or wait for the database file. */
export const SQLITE_METHODS = new Set([...DB_STATEMENT_METHODS, 'backup']);

/** The methods of a boto3 client that do not call the service (they build objects or read local data). */
const AWS_LOCAL_METHODS = new Set(['get_paginator', 'can_paginate', 'get_waiter', 'generate_presigned_url', 'generate_presigned_post', 'close', 'exceptions', 'meta']);

/** API methods of a boto3 client that only read (their names say so: `get_…`, `list_…`, `describe_…`, `head_…`). */
export const AWS_READ_METHOD = /^(get|list|describe|head|lookup|search|batch_get|query|scan|select|detect|recognize|compare|analyze|translate|synthesize|transcribe|download)(_|$)/;

/**
 * Methods of a pyttsx3 engine that speak: `say` queues an utterance, `runAndWait` speaks the queue and returns when
 * it is done (seconds), `save_to_file` queues one to a file.
 */
export const SPEECH_METHODS = new Set(['say', 'runAndWait', 'startLoop', 'iterate', 'save_to_file']);

/** The commands of an SMTP session, each a round trip to the mail server. */
const SMTP_METHODS = new Set(['connect', 'login', 'starttls', 'ehlo', 'helo', 'ehlo_or_helo_if_needed', 'sendmail', 'send_message', 'quit', 'noop', 'verify', 'rset', 'auth', 'docmd']);

/** What a yt-dlp `YoutubeDL` fetches with: a page's metadata (`extract_info`), and the media (`download`). */
const DOWNLOADER_METHODS = new Set(['extract_info', 'download', 'download_with_info_file', 'process_ie_result', 'urlopen']);

/** Methods of an SDK client that send nothing. */
const API_CLIENT_LOCAL_METHODS = new Set(['close', 'close_async', '__enter__', '__exit__']);

/**
 * The methods of a socket that wait on the network: connecting (with the TLS handshake of an `SSLSocket`), sending
 * into a full buffer, receiving, accepting.
 */
export const SOCKET_WAIT_METHODS = new Set(['connect', 'connect_ex', 'recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'send', 'sendall', 'sendto', 'sendfile', 'accept', 'do_handshake']);

/**
 * Libraries that make sockets, pipes or remote shells, whose objects' `send`/`recv` wait on another end — and chat
 * clients, whose channels' `send` posts a message to the service (round 47 re-run: a Discord bot's batched sends).
 */
const SOCKET_LIBRARIES = /^(socket|ssl|socketserver|select|selectors|multiprocessing|telnetlib|telnetlib3|smtplib|ftplib|poplib|imaplib|zmq|websocket|websockets|paramiko|asyncssh|netmiko|pexpect|serial|pwn|pwnlib|scapy|bluetooth|usb|can|nclib|gevent|eventlet|twisted|pika|kombu|discord|nextcord|disnake|hikari|interactions|telethon|pyrogram|aiogram|telegram|aiohttp|slack_sdk|slack_bolt|twitchio)$/;

/**
 * Whether an object whose class the file does not show may be a socket, a pipe or a remote connection, so that its
 * `send`/`recv` wait on the other end: the file, or a workspace module it imports, imports a library making them
 * (an HTTP library counts only when the file imports it itself: `Session.send` of a prepared request). In a file
 * importing none, `chan.send(x)` and `out.recv()` are a channel of the program's own (a generator's `send`, a
 * queue-like class of another module), not a network wait (round 41: an Intcode interpreter's channels).
 */
export function socketsPossible(module: ModuleInfo): boolean {
  let known = socketsImported.get(module);
  if (known === undefined) {
    const direct = [...module.imports.values(), ...starSources(module)];
    const through = module.workspace?.librariesImported ? direct.flatMap((q) => module.workspace!.librariesImported!(q)) : [];
    known = direct.some((q) => SOCKET_LIBRARIES.test(q.split('.')[0]) || /^(requests|httpx|http|urllib3)$/.test(q.split('.')[0])) || through.some((q) => SOCKET_LIBRARIES.test(q.split('.')[0]));
    socketsImported.set(module, known);
  }
  return known;
}

const socketsImported = new WeakMap<ModuleInfo, boolean>();

export type ClientKind = 'requests-session' | 'sqlite3' | 'aws-client' | 'aws-session' | 'socket' | 'llm-client' | 'llm-chain' | 'market-client' | 'google-api' | 'speech-engine' | 'api-client' | 'media-downloader' | 'smtp';

/**
 * The request methods of a Google API resource (googleapiclient: `youtube.videos().list(…)`, `service.files().get(…)`)
 * that only read; `insert` adds to a collection in arrival order (a playlist's items, a sheet's rows); any other
 * (`update`, `patch`, `delete`, `batchUpdate`, `create`…) changes the account's data.
 */
export const GOOGLE_READS = /^(list|get|search|query|export|watch)$/;

/** Whether the module imports googleapiclient (or its old name, apiclient). */
function importsGoogleApi(module: ModuleInfo): boolean {
  for (const qualified of module.imports.values()) if (/^(googleapiclient|apiclient)(\.|$)/.test(qualified)) return true;
  return false;
}

/** `svc.videos().list(…)`: a request built on a resource of a service object: the request method's name and the service. */
function resourceRequest(node: SyntaxNode | null): { method: string; service: SyntaxNode } | null {
  if (node?.type !== 'call') return null;
  const fn = node.childForFieldName('function');
  const resource = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  let service = resource?.type === 'call' ? resource.childForFieldName('function')?.childForFieldName('object') : null;
  // nested resources (`service.users().messages().trash(…)`): the service is the object the chain starts from
  while (service?.type === 'call' && service.childForFieldName('function')?.type === 'attribute') service = service.childForFieldName('function')!.childForFieldName('object');
  const method = fn?.childForFieldName('attribute')?.text;
  return method && service ? { method, service } : null;
}

/**
 * A Google API request sent by `.execute()` (in a module that imports googleapiclient): the receiver is a request
 * built on a resource (`svc.videos().list(id=…).execute()`), or a name every binding of which in its function is
 * one (`request = svc.search().list(…)`; `request.execute()`). The request method (`list`, `insert`) and the service.
 */
function googleRequest(receiver: SyntaxNode, module: ModuleInfo): { method: string; service: SyntaxNode } | null {
  if (!importsGoogleApi(module)) return null;
  const direct = resourceRequest(receiver);
  if (direct) return direct;
  if (receiver.type !== 'identifier') return null;
  const scope = enclosingFunction(receiver) ?? module.root;
  const requests = valuesBound(scope, receiver.text).map((v) => resourceRequest(v));
  return requests.length > 0 && requests.every((r) => r !== null && r.method === requests[0]!.method) ? requests[0] : null;
}

/**
 * Market-data clients: a `yfinance.Ticker` (its `history`, `option_chain`, `get_*` fetch from Yahoo Finance), a
 * python-binance `Client` (its `get_*` / `futures_*` are requests to Binance's REST API), a ccxt exchange (`ccxt.binance()`:
 * its `fetch_*` are requests to that exchange). Each call is an HTTPS request answered in a fraction of a second to
 * seconds, under the provider's rate limit.
 */
const MARKET_READS = /^(history|option_chain|get_\w+|fetch_\w+|futures_(klines|historical_klines|symbol_ticker|mark_price|funding_rate|exchange_info|orderbook_ticker|order_book|recent_trades)|load_markets)$/;
/** Market-client methods that place, change or cancel orders (they change the account: never reordered). */
export const MARKET_WRITES = /^(create_\w+|cancel_\w+|edit_\w+|order_\w+|futures_create_\w+|futures_cancel_\w+|withdraw\w*|transfer\w*)$/;

/**
 * The requests of an LLM provider's synchronous client (`client.chat.completions.create(…)` on an `openai.OpenAI`,
 * `client.messages.create(…)` on an `anthropic.Anthropic`): each is one HTTPS request answered in seconds. Both
 * SDKs document their clients as safe to share between threads.
 */
export const LLM_REQUESTS = new Set([
  'chat.completions.create',
  'chat.completions.parse',
  'beta.chat.completions.parse',
  'completions.create',
  'embeddings.create',
  'responses.create',
  'responses.parse',
  'images.generate',
  'images.edit',
  'moderations.create',
  'audio.transcriptions.create',
  'audio.translations.create',
  'audio.speech.create',
  'messages.create',
  'messages.count_tokens',
]);

const CONSTRUCTORS: Record<string, ClientKind> = {
  'requests.Session': 'requests-session',
  'requests.session': 'requests-session',
  'requests.sessions.Session': 'requests-session',
  'sqlite3.connect': 'sqlite3',
  'boto3.client': 'aws-client',
  'boto3.Session': 'aws-session',
  'boto3.session.Session': 'aws-session',
  'socket.socket': 'socket',
  'socket.create_connection': 'socket',
  'ssl.wrap_socket': 'socket',
  'openai.OpenAI': 'llm-client',
  'openai.AzureOpenAI': 'llm-client',
  'anthropic.Anthropic': 'llm-client',
  // clients that follow OpenAI's interface
  'groq.Groq': 'llm-client',
  'together.Together': 'llm-client',
  'yfinance.Ticker': 'market-client',
  'binance.client.Client': 'market-client',
  'binance.Client': 'market-client',
  // a text-to-speech engine speaking through the machine's speakers
  'pyttsx3.init': 'speech-engine',
  // an SMTP session: made connected to its server (when given a host), then each command a round trip
  'smtplib.SMTP': 'smtp',
  'smtplib.SMTP_SSL': 'smtp',
  // yt-dlp (and youtube-dl before it): a downloader whose calls fetch pages and media
  'yt_dlp.YoutubeDL': 'media-downloader',
  'youtube_dl.YoutubeDL': 'media-downloader',
  // web APIs' SDK clients (API_CLIENTS)
  'vt.Client': 'api-client',
  'shodan.Shodan': 'api-client',
  // Twilio's REST client: messages sent, numbers looked up, calls placed — each a request to its API
  'twilio.rest.Client': 'api-client',
  // the Google Maps web services (geocoding, directions, distance matrix): one request per call
  'googlemaps.Client': 'api-client',
  // python-gitlab: every manager below the client (`gl.projects.get(id)`, `gl.groups.list()`) is a request to the
  // server's REST API (round 60: bulk deletions and invitations said to do "no expensive work")
  'gitlab.Gitlab': 'api-client',
  // mcstatus: a server's `status()`, `ping()` and `query()` each open a connection to a game server (round 60)
  'mcstatus.JavaServer': 'api-client',
  'mcstatus.JavaServer.lookup': 'api-client',
  'mcstatus.BedrockServer': 'api-client',
  'mcstatus.BedrockServer.lookup': 'api-client',
  'mcstatus.MinecraftServer': 'api-client',
  'mcstatus.MinecraftServer.lookup': 'api-client',
  // LangChain's chat models of hosted providers (a local Ollama model serialises requests: not among them)
  'langchain_openai.ChatOpenAI': 'llm-chain',
  'langchain_openai.AzureChatOpenAI': 'llm-chain',
  'langchain_anthropic.ChatAnthropic': 'llm-chain',
  'langchain_google_genai.ChatGoogleGenerativeAI': 'llm-chain',
  'langchain_groq.ChatGroq': 'llm-chain',
  'langchain_mistralai.ChatMistralAI': 'llm-chain',
  'langchain_aws.ChatBedrock': 'llm-chain',
  'langchain_community.chat_models.ChatOpenAI': 'llm-chain',
  'langchain.chat_models.ChatOpenAI': 'llm-chain',
};

/** The verbs of a request made on a resource below an SDK client (`client.messages.create`, `….fetch()`). */
const SUBRESOURCE_REQUESTS = /^(create|fetch|update|delete|list|stream|page|get|save)$/;

/** What runs a LangChain model or chain (`chain.invoke(inputs)`; `batch` already runs its inputs at once). */
const LANGCHAIN_CALLS = new Set(['invoke', 'predict', 'run', 'generate']);

/** ccxt's exchange classes (`ccxt.binance`, `ccxt.kraken`): lower-case names of the module. */
const CCXT_EXCHANGE = /^ccxt\.[a-z][a-z0-9]*$/;

/** The scope whose binding of `name` a read at `at` sees: the innermost function binding it, else the module. */
function bindingScope(name: string, at: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  for (let f = enclosingFunction(at); f; f = enclosingFunction(f)) {
    const scope = scopeOf(f);
    if (scope.params.has(name)) return null;
    if (scope.locals.has(name)) return f.childForFieldName('body');
  }
  return module.bindings.get(name) === 'assign' ? module.root : null;
}

/** Client classes a parameter's annotation may name (`client: Client`, `session: requests.Session`). */
const ANNOTATED_CLASSES: Record<string, ClientKind> = {
  'requests.Session': 'requests-session',
  'requests.sessions.Session': 'requests-session',
  'openai.OpenAI': 'llm-client',
  'openai.AzureOpenAI': 'llm-client',
  'anthropic.Anthropic': 'llm-client',
  'yfinance.Ticker': 'market-client',
  'binance.client.Client': 'market-client',
  'binance.Client': 'market-client',
};

/** A parameter of the enclosing function annotated with a client class (`def klines(client: Client, …)`). */
function annotatedClient(receiver: SyntaxNode, module: ModuleInfo): Made | null {
  const fn = enclosingFunction(receiver);
  if (!fn || !scopeOf(fn).params.has(receiver.text)) return null;
  const kind = ANNOTATED_CLASSES[parameterAnnotation(fn, receiver.text, module) ?? ''];
  return kind ? { kind, origins: [] } : null;
}

/** The kind of client a constructor (or factory) of this qualified name makes, or null. */
export function constructedClient(qualified: string): ClientKind | null {
  return CONSTRUCTORS[qualified] ?? null;
}

/** What a constructor call makes (a session, a connection) and the constructor calls behind it, or null. */
interface Made {
  kind: ClientKind;
  /** The `requests.Session()` / `sqlite3.connect(…)` calls the value comes from (`conn.cursor()`: its connection's). */
  origins: SyntaxNode[];
}

function madeBy(value: SyntaxNode, module: ModuleInfo, depth: number): Made | null {
  // `prompt | llm | parser`: a LangChain chain around a chat model runs the model's request
  if (value.type === 'binary_operator' && value.childForFieldName('operator')?.text === '|' && depth < 4) {
    for (const side of [value.childForFieldName('left'), value.childForFieldName('right')]) {
      const made = !side ? null : side.type === 'binary_operator' ? madeBy(side, module, depth + 1) : clientOrigin(side, module, depth + 1);
      if (made?.kind === 'llm-chain') return { kind: 'llm-chain', origins: [value] };
    }
    return null;
  }
  if (value.type !== 'call') return null;
  const fn = value.childForFieldName('function');
  if (!fn) return null;
  const qualified = importedName(dottedName(fn), module);
  const constructed = qualified ? constructedClient(qualified) : null;
  if (constructed) return { kind: constructed, origins: [value] };
  if (qualified && CCXT_EXCHANGE.test(qualified)) return { kind: 'market-client', origins: [value] };
  // `session.client("s3")` on a boto3 session
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'client' && depth < 3) {
    const owner = fn.childForFieldName('object');
    const session = owner ? clientOrigin(owner, module, depth + 1) : null;
    if (session?.kind === 'aws-session') return { kind: 'aws-client', origins: [value] };
  }
  // `ctx.wrap_socket(sock, server_hostname=…)`: the SSL socket over a socket made here
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'wrap_socket' && depth < 3) {
    const inner = value.childForFieldName('arguments')?.namedChildren.find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
    const wrapped = inner ? clientOrigin(inner, module, depth + 1) : null;
    if (wrapped?.kind === 'socket') return { kind: 'socket', origins: [value] };
  }
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'cursor' && depth < 3) {
    const owner = fn.childForFieldName('object');
    const connection = owner ? clientOrigin(owner, module, depth + 1) : null;
    if (connection?.kind === 'sqlite3') return connection;
  }
  // `s3 = make_s3_client()`: a function of this file, or of another module of the project, returning one kind of
  // client (round 52: a boto3 client made by a project helper, its downloads called side effects nobody sees)
  if (fn.type === 'identifier' && depth < 3) {
    const def = module.functions.get(fn.text);
    if (def) {
      const returned = returnedClient(def, module, depth + 1);
      if (returned) return { kind: returned.kind, origins: returned.origins };
    } else if (qualified && module.workspace) {
      const symbol = module.workspace.resolve(qualified);
      if (symbol?.kind === 'function' && symbol.summary.returnsClient) return { kind: symbol.summary.returnsClient, origins: [value] };
    }
  }
  return null;
}

/** The client every `return` of `fn` hands back (`return boto3.client("s3")`, or a local bound to one), or null. */
export function returnedClient(fn: SyntaxNode, module: ModuleInfo, depth = 0): Made | null {
  const values = returnedValues(fn);
  if (values.length === 0) return null;
  let found: Made | null = null;
  for (const value of values) {
    const made = clientOrigin(value, module, depth);
    if (!made || (found && found.kind !== made.kind)) return null;
    found = found ? { kind: found.kind, origins: [...found.origins, ...made.origins] } : made;
  }
  return found;
}

/**
 * The kind of client a receiver expression is: the constructor call itself, or a name every binding of which in
 * its scope is one (an assignment or a `with … as name`). Null when bound any other way or unknown.
 */
export function clientKind(receiver: SyntaxNode, module: ModuleInfo): ClientKind | null {
  return clientOrigin(receiver, module)?.kind ?? null;
}

/** The kind of client a receiver is and the constructor calls it comes from (see `clientKind`). */
export function clientOrigin(receiver: SyntaxNode, module: ModuleInfo, depth = 0): Made | null {
  if (receiver.type === 'call') return madeBy(receiver, module, depth);
  if (receiver.type === 'attribute' && receiver.childForFieldName('object')?.text === 'self') return selfAttributeOrigin(receiver, module, depth);
  if (receiver.type !== 'identifier') return null;
  const name = receiver.text;
  const scope = bindingScope(name, receiver, module);
  if (!scope) return annotatedClient(receiver, module);
  let found: Made | null = null;
  for (const token of tokensSpelled(scope, name, 'identifier')) {
    // a token of a nested scope binding the name itself is another variable
    if (bindingScope(name, token, module)?.id !== scope.id) continue;
    const parent = token.parent;
    let value: SyntaxNode | null | undefined;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) value = parent.childForFieldName('right');
    else if (parent?.type === 'as_pattern_target' && parent.parent?.type === 'as_pattern' && parent.parent.parent?.type === 'with_item') value = withItemPattern(parent.parent.parent)?.namedChildren[0];
    else if (parent && isRebinding(token)) return null;
    else continue;
    const made = value ? madeBy(value, module, depth) : null;
    if (!made || (found && found.kind !== made.kind)) return null;
    found = found ? { kind: found.kind, origins: [...found.origins, ...made.origins] } : made;
  }
  return found;
}

/**
 * `self.client` in a method: what every assignment `self.client = …` of the class makes (`self.client = OpenAI()`
 * in `__init__`), when they all make the same kind of client. Null when any assignment makes something else.
 */
function selfAttributeOrigin(receiver: SyntaxNode, module: ModuleInfo, depth: number): Made | null {
  const attribute = receiver.childForFieldName('attribute')?.text;
  let cls: SyntaxNode | null = receiver.parent;
  while (cls && cls.type !== 'class_definition') cls = cls.parent;
  const body = cls?.childForFieldName('body');
  if (!attribute || !body) return null;
  let found: Made | null = null;
  for (const token of tokensSpelled(body, attribute, 'identifier')) {
    const use = token.parent;
    if (use?.type !== 'attribute' || use.childForFieldName('attribute')?.id !== token.id || use.childForFieldName('object')?.text !== 'self') continue;
    const assignment = use.parent;
    if (assignment?.type === 'augmented_assignment' && assignment.childForFieldName('left')?.id === use.id) return null;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== use.id) continue;
    const value = assignment.childForFieldName('right');
    const made = value ? madeBy(value, module, depth) : null;
    if (!made || (found && found.kind !== made.kind)) return null;
    found = found ? { kind: found.kind, origins: [...found.origins, ...made.origins] } : made;
  }
  return found;
}

/** The AWS service a boto3 client is made for (`boto3.client("ec2")` → `ec2`), when every constructor call spells it. */
export function awsService(receiver: SyntaxNode, module: ModuleInfo): string | null {
  const origin = clientOrigin(receiver, module);
  if (origin?.kind !== 'aws-client' || origin.origins.length === 0) return null;
  const services = origin.origins.map((call) => {
    const first = call.childForFieldName('arguments')?.namedChildren.find((a) => a.type !== 'comment');
    const value = first?.type === 'keyword_argument' ? (first.childForFieldName('name')?.text === 'service_name' ? first.childForFieldName('value') : null) : first;
    return value?.type === 'string' ? value.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '') : null;
  });
  return services.every((s) => s !== null && s === services[0]) ? services[0] : null;
}

/**
 * Whether every sqlite3 connection behind a receiver was opened with `check_same_thread=False`: by default
 * sqlite3 raises `ProgrammingError` when a connection (or its cursor) is used by a thread other than its creator's.
 */
export function usableFromOtherThreads(receiver: SyntaxNode, module: ModuleInfo): boolean {
  const origin = clientOrigin(receiver, module);
  if (origin?.kind !== 'sqlite3') return true;
  return origin.origins.every((connect) => {
    const args = connect.childForFieldName('arguments');
    return !!args && args.namedChildren.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'check_same_thread' && a.childForFieldName('value')?.type === 'false');
  });
}

/** A binding other than a plain assignment: a for target, `+=`, a walrus, an import, a parameter-like pattern. */
function isRebinding(token: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = token.parent; n; n = n.parent) {
    if (['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target'].includes(n.type)) continue;
    if (['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression'].includes(n.type)) {
      const left = n.childForFieldName(n.type === 'named_expression' ? 'name' : 'left');
      return !!left && left.startIndex <= token.startIndex && token.endIndex <= left.endIndex;
    }
    if (n.type === 'import_statement' || n.type === 'import_from_statement' || n.type === 'global_statement' || n.type === 'nonlocal_statement') return true;
    return false;
  }
  return false;
}

/** A call of a blocking client method: `session.get(url)` on a requests Session, `conn.execute(sql)` on sqlite3. */
export function clientCall(call: SyntaxNode, module: ModuleInfo): { kind: ClientKind; method: string; receiver: SyntaxNode } | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  if (!receiver || !method || method.startsWith('_')) return null;
  if (method === 'execute' && !namedChildren(call.childForFieldName('arguments')!).some((a) => a.type !== 'comment' && a.type !== 'keyword_argument')) {
    // the receiver of a Google request is the service it goes through (`svc` of `svc.videos().list(…)`)
    const request = googleRequest(receiver, module);
    if (request) return { kind: 'google-api', method: request.method, receiver: request.service };
  }
  // `client.messages.create(…)`, `client.lookups.v1.phone_numbers(n).fetch()`: a request to a resource below a web
  // API's SDK client (Twilio's REST client), named by its path of attributes and calls
  if (SUBRESOURCE_REQUESTS.test(method)) {
    let base: SyntaxNode | null = receiver;
    for (let depth = 0; base && (base.type === 'attribute' || base.type === 'call') && depth < 8; depth++) base = base.type === 'call' ? base.childForFieldName('function') : base.childForFieldName('object');
    if (base?.type === 'identifier' && clientKind(base, module) === 'api-client') return { kind: 'api-client', method, receiver: base };
  }
  // `client.chat.completions.create(…)`: the request's path below the client
  if (receiver.type === 'attribute') {
    const path = [method];
    let root: SyntaxNode = receiver;
    while (root.type === 'attribute' && path.length < 5) {
      path.unshift(root.childForFieldName('attribute')?.text ?? '');
      root = root.childForFieldName('object')!;
      const dotted = path.join('.');
      if (LLM_REQUESTS.has(dotted) && clientKind(root, module) === 'llm-client') return { kind: 'llm-client', method: dotted, receiver: root };
    }
    // `self.session.get(url)`: a client the class keeps on its instance
    if (receiver.childForFieldName('object')?.text !== 'self') return null;
  }
  const kind = clientKind(receiver, module);
  if (kind === 'llm-chain' && LANGCHAIN_CALLS.has(method)) return { kind: 'llm-client', method, receiver };
  if (kind === 'aws-client' && !AWS_LOCAL_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'requests-session' && SESSION_REQUEST_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'sqlite3' && SQLITE_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'socket' && SOCKET_WAIT_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'market-client' && (MARKET_READS.test(method) || MARKET_WRITES.test(method))) return { kind, method, receiver };
  if (kind === 'speech-engine' && SPEECH_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'api-client' && !API_CLIENT_LOCAL_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'media-downloader' && DOWNLOADER_METHODS.has(method)) return { kind, method, receiver };
  if (kind === 'smtp' && SMTP_METHODS.has(method)) return { kind, method, receiver };
  return null;
}

/**
 * Whether a client named by `receiver` is made inside `fn` and never leaves it: every occurrence of the name there
 * is its binding or the object of an attribute (`s.get(…)`, `s.close()`), and no nested scope mentions it. Then no
 * other task or thread can reach it.
 */
export function confinedTo(receiver: SyntaxNode, fn: SyntaxNode, module: ModuleInfo): boolean {
  if (receiver.type !== 'identifier') return false;
  const origin = clientOrigin(receiver, module);
  const body = fn.childForFieldName('body');
  if (!origin || !body || !origin.origins.every((o) => o.startIndex >= body.startIndex && o.endIndex <= body.endIndex)) return false;
  if (!scopeOf(fn).locals.has(receiver.text)) return false;
  for (const token of tokensSpelled(body, receiver.text, 'identifier')) {
    if (enclosingFunction(token)?.id !== fn.id) return false;
    const parent = token.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === token.id) continue;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) continue;
    if (parent?.type === 'as_pattern_target') continue;
    return false;
  }
  return true;
}
