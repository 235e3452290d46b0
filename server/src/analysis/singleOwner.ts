// Objects of well-known libraries that belong to one thread (or one process) and cannot be shared by the
// iterations of a parallel loop: a `sqlite3` connection and its cursors (usable only in the thread that made
// them, and not picklable), tkinter widgets and images (Tk must be driven from the thread running its main loop),
// PDF readers (one file position and page cache for everyone), and the database behind an ORM model (every
// iteration writes to the same database; a check before a write races with another iteration's write).
import type { SyntaxNode } from '../parser';
import { descendantsNamed, enclosingFunction, lineOf, namedChildren, tokensSpelled, walk } from '../syntax';
import { singleValue } from './cost';
import { readsIn } from './dependence';
import { isStdlibModule } from './knowledge';
import { ownMethods, sameFileCallees } from './methods';
import { importedName, type ModuleInfo, parameterAnnotation, scopeOf, starSources } from './scope';

export interface SingleOwnerUse {
  kind?: 'ordered-effect';
  /** The shared name (or the model class) the iterations would share. */
  name: string;
  message: string;
  remedy: string;
  line: number;
}

interface OwnedKind {
  /** How a module's outline names it (`browser`): a class of another module holding one says so by this key. */
  key: string;
  what: string;
  why: string;
  remedy: string;
}

const SQLITE: OwnedKind = {
  key: 'sqlite',
  what: 'a `sqlite3` connection',
  why: 'a connection (and its cursors) may only be used in the thread that created it (`sqlite3.ProgrammingError` otherwise), it cannot be pickled for a worker process, and SQLite lets one writer in at a time',
  remedy: 'open a connection in each worker (or collect the rows in the pool and write them from the parent, in one transaction)',
};
const TK: OwnedKind = {
  key: 'tk',
  what: 'a tkinter object',
  why: 'Tk widgets and images must be made and used in the thread that runs the Tk main loop (off it, calls wait for that loop or fail with "main thread is not in main loop"), and they cannot be pickled for a worker process',
  remedy: 'keep the Tk calls in the main thread: do only the file or image work in the pool and build the Tk objects from its results',
};
const GUI: OwnedKind = {
  key: 'gui',
  what: 'a GUI toolkit object',
  why: "Kivy's textures and widgets need the OpenGL context of the thread running its event loop, and Qt's widgets and pixmaps (wx's windows likewise) belong to the GUI thread: made or used in a worker thread they crash the program or draw garbage, and they cannot be pickled for a worker process",
  remedy: 'keep the GUI calls in the main thread: do only the image or file work in the pool and build the textures or widgets from its results (Kivy: `Clock.schedule_once`; Qt: a signal to the GUI thread)',
};
const PDF: OwnedKind = {
  key: 'pdf',
  what: 'a PDF reader',
  why: 'a reader holds one file position and its caches for every page it reads, so threads would race on it, and it cannot be pickled for a worker process (it holds an open file)',
  remedy: 'open the PDF in each worker (build the reader inside the iteration), or read the pages it needs before the loop',
};

const BROWSER: OwnedKind = {
  key: 'browser',
  what: 'a browser driven by Selenium',
  why: 'it is one browser window: every command acts on the page the previous one left, so iterations running at once would click, type and navigate over each other; a driver cannot be pickled for a worker process either',
  remedy: 'keep the loop sequential, or give each worker its own browser (made inside the worker) if the items really are independent pages',
};

const PRAW: OwnedKind = {
  key: 'praw',
  what: 'a PRAW object (a `Reddit` instance, or one it handed out)',
  why: 'PRAW is not thread-safe (one `Reddit` instance, and the objects it hands out, must not be used by threads at once), and it already paces its requests to stay within Reddit\'s rate limit, so threads sharing it would race on its session and gain little',
  remedy: 'keep the loop sequential, or give each worker its own `praw.Reddit` instance (its requests still count against one rate limit)',
};

const DB_SESSION: OwnedKind = {
  key: 'db-session',
  what: 'one database session or connection',
  why: "it runs one statement at a time: a SQLAlchemy `Session` or `AsyncSession` must not be used by tasks or threads at once (it raises, or its state is corrupted), an asyncpg connection refuses an operation while another is in progress, and aiosqlite runs every statement of a connection on its one thread, so the iterations' statements cannot overlap",
  remedy: 'keep the loop sequential, or make it one statement (`WHERE … IN (…)`, a bulk update), or give each task its own session from the session factory',
};

const COM: OwnedKind = {
  key: 'com',
  what: 'a COM object (an Office application driven through `win32com`, or one it handed out)',
  why: 'a COM object made in one thread belongs to that thread\'s apartment: another thread calling it fails (`pywintypes.com_error`: "The application called an interface that was marshalled for a different thread") or, marshalled, waits for the owning thread, and one Excel or Word instance does one thing at a time anyway; it cannot be pickled for a worker process either',
  remedy: 'keep the COM calls in the thread that made the object: do only the downloads or the parsing in the pool and write the results into the workbook from the parent, in order',
};

const KINDS = new Map([SQLITE, TK, GUI, PDF, BROWSER, PRAW, DB_SESSION, COM].map((k) => [k.key, k]));

/** Per class of another module holding such an object: the kind its instances carry (one object per class, for `===`). */
const heldKinds = new Map<string, OwnedKind>();

/** Whether the module imports `*` from a module that is not the standard library's (one of the project's, maybe). */
function starFromProject(module: ModuleInfo): boolean {
  return !!module.workspace && starSources(module).some((m) => m.startsWith('.') || !isStdlibModule(m.split('.')[0]));
}

/** An instance of a workspace class another module defines (`WebDriver(…)`) whose object holds one (its summary's `owns`). */
function heldByWorkspaceClass(qualified: string, module: ModuleInfo): OwnedKind | null {
  // a class, by its name, of a module that is not the standard library's
  if (!module.workspace || !/^[A-Z]/.test(qualified.split('.').pop() ?? '') || (!qualified.startsWith('.') && isStdlibModule(qualified.split('.')[0]))) return null;
  const symbol = module.workspace.resolve(qualified);
  if (symbol?.kind !== 'class' || !symbol.owns) return null;
  const held = KINDS.get(symbol.owns);
  if (!held) return null;
  const id = `${symbol.where}\0${symbol.owns}`;
  let kind = heldKinds.get(id);
  if (!kind) heldKinds.set(id, (kind = { ...held, what: `an instance of \`${symbol.name}\` (\`${symbol.where}\`), which holds ${held.what},` }));
  return kind;
}

/** The kind of single-owner object the instances of `cls` hold on `self` (a browser, a connection), or null: a module's outline records it. */
export function heldKindOfClass(cls: SyntaxNode, module: ModuleInfo): string | null {
  if (!mayMakeOwned(module)) return null;
  const made = ownedAttributes(cls, module);
  const first = made.values().next();
  return first.done ? null : first.value.kind.key;
}

/** Classes of a database session or connection, by qualified name, as a parameter's annotation names them. */
const DB_SESSION_CLASSES = /^(sqlalchemy\.ext\.asyncio(\.session)?\.AsyncSession|sqlalchemy\.ext\.asyncio(\.engine)?\.AsyncConnection|sqlalchemy\.orm(\.session)?\.Session|sqlmodel(\.orm\.session)?\.Session|sqlmodel\.ext\.asyncio\.session\.AsyncSession|asyncpg(\.connection)?\.Connection|aiosqlite(\.core)?\.Connection)$/;

/** The kind of object a parameter of `fn` is annotated as (`session: AsyncSession`), or null. */
function annotatedKind(fn: SyntaxNode, name: string, module: ModuleInfo): OwnedKind | null {
  const qualified = parameterAnnotation(fn, name, module);
  return qualified && DB_SESSION_CLASSES.test(qualified) ? DB_SESSION : null;
}

/** The kind of a library object made by a call of this qualified name, or null. */
function kindOfCall(qualified: string): OwnedKind | null {
  if (qualified === 'sqlite3.connect') return SQLITE;
  if (qualified === 'praw.Reddit' || qualified === 'asyncpraw.Reddit') return PRAW;
  if (/^win32com\.client\.(Dispatch|DispatchEx|GetObject|GetActiveObject|gencache\.EnsureDispatch|dynamic\.Dispatch)$|^comtypes\.client\.(CreateObject|GetActiveObject)$/.test(qualified)) return COM;
  if (/^selenium\.webdriver\.(Chrome|Firefox|Edge|Safari|Ie|Remote|ChromiumEdge|WebKitGTK|WPEWebKit|PhantomJS|Opera|Android|BlackBerry)$|^(undetected_chromedriver|uc)\.Chrome$/.test(qualified)) return BROWSER;
  if (/^(tkinter|Tkinter|customtkinter|ttkbootstrap)\.\w+$|^tkinter\.ttk\.\w+$|^PIL\.ImageTk\.\w+$/.test(qualified)) return TK;
  // (Qt's `QImage` is made for use off the GUI thread: not among them)
  if (/^kivy\.(core\.image|graphics|uix)\b|^(PyQt5|PyQt6|PySide2|PySide6)\.(QtWidgets\.\w+|QtGui\.(QPixmap|QIcon|QPainter|QMovie))$|^wx\.\w+$/.test(qualified)) return GUI;
  if (/^(PyPDF2|pypdf|PyPDF4)\.(PdfFileReader|PdfReader)$|^fitz\.(open|Document)$|^pdfplumber\.open$/.test(qualified)) return PDF;
  return null;
}

/** The first dotted component of every name kindOfCall accepts (keep in step with it). */
const OWNED_ROOTS = new Set(['win32com', 'comtypes', 'kivy', 'PyQt5', 'PyQt6', 'PySide2', 'PySide6', 'wx', 'praw', 'asyncpraw', 'sqlite3', 'selenium', 'undetected_chromedriver', 'uc', 'tkinter', 'Tkinter', 'customtkinter', 'ttkbootstrap', 'PIL', 'PyPDF2', 'pypdf', 'PyPDF4', 'fitz', 'pdfplumber', 'sqlalchemy', 'sqlmodel', 'asyncpg', 'aiosqlite']);

const importsOwnedLibrary = new WeakMap<ModuleInfo, boolean>();

/**
 * Whether kindOfCall can accept any name of this module: it is only asked about names resolved through the
 * module's imports, so a module importing none of those libraries makes no such object (asked once per module).
 */
function mayMakeOwned(module: ModuleInfo): boolean {
  let may = importsOwnedLibrary.get(module);
  if (may === undefined) {
    // or a class of another workspace module, which may hold one (`from webdriver import *`, `from .browser import Browser`)
    may = [...module.imports.values()].some((qualified) => OWNED_ROOTS.has(qualified.split('.')[0]) || heldByWorkspaceClass(qualified, module) !== null) || starFromProject(module);
    importsOwnedLibrary.set(module, may);
  }
  return may;
}

/** The library object `value` makes, following same-file functions that return one and `.cursor()` of a connection. */
function kindOfValue(value: SyntaxNode | null, module: ModuleInfo, depth = 0): OwnedKind | null {
  // `sheet = excel.ActiveSheet`, `book = excel.Workbooks.Open(path)`: what a COM object hands out lives in its apartment
  if (value && depth <= 4 && (value.type === 'attribute' || value.type === 'call')) {
    let root: SyntaxNode | null = value;
    while (root && (root.type === 'attribute' || root.type === 'call')) root = root.type === 'attribute' ? root.childForFieldName('object') : root.childForFieldName('function');
    if (root?.type === 'identifier' && root.id !== value.id && value.text !== root.text && kindOfName(root, module, depth + 1) === COM) return COM;
  }
  if (!value || depth > 4 || value.type !== 'call') return null;
  const f = value.childForFieldName('function');
  if (!f) return null;
  if (f.type === 'attribute' && f.childForFieldName('attribute')!.text === 'cursor') {
    const object = f.childForFieldName('object')!;
    return object.type === 'identifier' && kindOfName(object, module, depth + 1) === SQLITE ? SQLITE : null;
  }
  // `reddit.subreddit("python")`: what a PRAW instance hands out makes its requests through that instance
  if (f.type === 'attribute' && f.childForFieldName('object')?.type === 'identifier' && kindOfName(f.childForFieldName('object')!, module, depth + 1) === PRAW) return PRAW;
  // a function of this file shadows an import of the same name made before it
  const local = f.type === 'identifier' && module.functions.has(f.text) && module.bindings.get(f.text) === 'def';
  const qualified = local ? null : importedName(f.text, module);
  if (qualified) return kindOfCall(qualified) ?? heldByWorkspaceClass(qualified, module);
  // `con = sql_connection()` where every `return` of that function gives such an object
  if (f.type === 'identifier' && module.functions.has(f.text)) {
    const def = module.functions.get(f.text)!;
    const returns: SyntaxNode[] = [];
    walk(def, (n) => {
      if (n.id !== def.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
      if (n.type === 'return_statement') returns.push(n);
      return true;
    });
    const kinds = returns.map((r) => {
      const v = namedChildren(r)[0] ?? null;
      return v?.type === 'identifier' ? kindOfName(v, module, depth + 1) : kindOfValue(v, module, depth + 1);
    });
    const made = kinds.filter((k): k is OwnedKind => k !== null);
    return made.length > 0 && made.length === kinds.length && made.every((k) => k === made[0]) ? made[0] : null;
  }
  return null;
}

function kindOfName(name: SyntaxNode, module: ModuleInfo, depth = 0): OwnedKind | null {
  const fn = enclosingFunction(name);
  // `session: AsyncSession` passed in: the one session every iteration would use (its annotation says what it is
  // even when a default stands in for it: `db: AsyncSession = Depends(get_db)`)
  const annotated = fn && scopeOf(fn).params.has(name.text) ? annotatedKind(fn, name.text, module) : null;
  if (annotated) return annotated;
  const value = singleValue(name, module);
  if (value) return kindOfValue(value, module, depth);
  // `global driver` then `driver = webdriver.Chrome(…)` in a set-up function: every such binding makes one kind
  if (fn && scopeOf(fn).params.has(name.text)) return null;
  if (fn && scopeOf(fn).locals.has(name.text)) return null;
  const values = globalBindings(name.text, module);
  const kinds = values.map((v) => kindOfValue(v, module, depth + 1));
  return kinds.length > 0 && kinds.every((k) => k !== null && k === kinds[0]) ? kinds[0] : null;
}

/**
 * `find = driver.find_element`: a name whose one value is a method of such an object, bound once. The bound method
 * holds its object, so every call through the name (`find(css, "#add").click()`) acts on that one object.
 */
function boundMethodOwner(name: SyntaxNode, module: ModuleInfo): { value: SyntaxNode; object: SyntaxNode; kind: OwnedKind } | null {
  const value = singleValue(name, module);
  if (value?.type !== 'attribute') return null;
  const object = value.childForFieldName('object');
  if (object?.type !== 'identifier') return null;
  const kind = kindOfName(object, module);
  return kind ? { value, object, kind } : null;
}

/** The values a module-level name is assigned, at module level or in functions declaring it `global`; [] if bound otherwise. */
function globalBindings(name: string, module: ModuleInfo): SyntaxNode[] {
  const text = module.root.text;
  if (!text.includes(`global ${name}`) && !text.includes(`, ${name}`)) return [];
  const values: SyntaxNode[] = [];
  let other = false;
  // whether each function holding the name declares it global, asked once per function (not per occurrence)
  const declaredIn = new Map<number, boolean>();
  for (const token of tokensSpelled(module.root, name, 'identifier')) {
    const parent = token.parent;
    const fn = enclosingFunction(token);
    let declared = !fn || declaredIn.get(fn.id);
    if (declared === undefined) declaredIn.set(fn!.id, (declared = descendantsNamed(fn!, 'global_statement').some((g) => g.namedChildren.some((c) => c.text === name))));
    if (!declared) continue;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) values.push(parent.childForFieldName('right')!);
    else if (parent && (parent.type === 'augmented_assignment' || parent.type === 'for_statement' || parent.type === 'pattern_list' || parent.type === 'tuple_pattern' || parent.type === 'as_pattern_target') && parent.childForFieldName('left')?.id === token.id) other = true;
  }
  return other ? [] : values;
}

/** Module paths an ORM model class comes from (`from app.models import Episode`, `from todolist.database import Task`). */
const MODEL_MODULE = /(^|\.)(models?|database|db|orm|schema|tables)(\.|$)/;
/** Class-level calls of an ORM model that read or write its table (peewee, Django managers, SQLAlchemy-style helpers). */
const MODEL_QUERIES = /^(objects|delete|update|insert|insert_many|replace|create|get_or_create|get_or_none|get|select|bulk_create|filter)$/;
const MODEL_WRITES = /^(delete|update|insert|insert_many|replace|create|get_or_create|bulk_create|save|delete_instance|execute)$/;
/** Libraries whose `models` modules hold machine-learning models, not tables (`from gensim.models import LdaModel`). */
const ML_LIBRARIES = /^(gensim|keras|tensorflow|tf_keras|torch|torchvision|torchaudio|sklearn|transformers|sentence_transformers|statsmodels|xgboost|lightgbm|catboost|spacy|fasttext|fastai|ultralytics|timm|bertopic|prophet|pmdarima|darts|tslearn|surprise|implicit|lightfm|pytorch_lightning|lightning|detectron2|mmdet|segmentation_models_pytorch|keras_cv|keras_nlp|jax|flax|onnx|onnxruntime|gluonts|neuralprophet)(\.|$)/;

/** The ORM model class a call of the worker writes through (`Task.delete().where(…).execute()`, `Episode(...).save()`), or null. */
function modelWrite(call: SyntaxNode, module: ModuleInfo, locals: Map<string, SyntaxNode>): { model: string; from: string } | null {
  const f = call.childForFieldName('function');
  if (f?.type !== 'attribute') return null;
  const method = f.childForFieldName('attribute')!.text;
  if (!MODEL_WRITES.test(method)) return null;
  // the chain's root: `Task` in `Task.delete().where(…).execute`, `episode` in `episode.save`
  let n: SyntaxNode | null = f.childForFieldName('object');
  let touchesTable = false;
  while (n && n.type !== 'identifier') {
    if (n.type === 'call') n = n.childForFieldName('function');
    else if (n.type === 'attribute') {
      if (MODEL_QUERIES.test(n.childForFieldName('attribute')!.text)) touchesTable = true;
      n = n.childForFieldName('object');
    } else return null;
  }
  if (!n) return null;
  let root = n;
  // an ORM's `save()` takes options by keyword; `model.save("lda_k10")` writes a file (gensim, Keras)
  if (method === 'save' && namedChildren(call.childForFieldName('arguments')!).some((a) => a.type !== 'keyword_argument' && a.type !== 'comment')) return null;
  if ((method === 'save' || method === 'delete_instance') && f.childForFieldName('object')?.type === 'call') touchesTable = true; // `Model(…).save()`
  else if (method === 'save' || method === 'delete_instance') {
    // an instance built here from the model class
    const made = locals.get(root.text);
    const cls = made?.type === 'call' ? made.childForFieldName('function') : null;
    if (cls?.type !== 'identifier') return null;
    root = cls;
    touchesTable = true;
  }
  if (!/^[A-Z]/.test(root.text) || module.bindings.get(root.text) !== 'import') return null;
  const qualified = importedName(root.text, module) ?? '';
  const from = qualified.slice(0, qualified.lastIndexOf('.'));
  if (!MODEL_MODULE.test(from) || ML_LIBRARIES.test(from)) return null;
  // `.execute()` of a query the chain builds from the model's table (`Task.delete().where(…).execute()`)
  return touchesTable || method !== 'execute' ? { model: root.text, from } : null;
}

/** A viewer window opened for the user: `image.show()` of a Pillow image, `cv2.imshow(…)`. */
function viewerOpened(call: SyntaxNode, module: ModuleInfo, locals: Map<string, SyntaxNode>): SingleOwnerUse | null {
  const f = call.childForFieldName('function');
  if (!f) return null;
  const qualified = importedName(f.text, module);
  let what: string | null = qualified === 'cv2.imshow' ? 'opens an OpenCV window' : null;
  if (!what && f.type === 'attribute' && f.childForFieldName('attribute')!.text === 'show' && namedChildren(call.childForFieldName('arguments')!).length === 0) {
    const receiver = f.childForFieldName('object')!;
    const made = receiver.type === 'identifier' ? locals.get(receiver.text) : receiver;
    const maker = made?.type === 'call' ? importedName(made.childForFieldName('function')?.text ?? null, module) : null;
    if (maker?.startsWith('PIL.')) what = 'opens an image viewer (Pillow runs an external viewer program)';
  }
  if (!what) return null;
  return {
    kind: 'ordered-effect',
    name: f.text,
    message: `\`${call.text.split('\n')[0].slice(0, 50)}\` (line ${lineOf(call)}) ${what} for every item: in parallel the windows would open at once and in no fixed order`,
    remedy: 'keep the display in the parent: do the work in the pool and show the results one by one afterwards',
    line: lineOf(call),
  };
}

/** What each `self.<attr>` of a class is made as, by attribute (see ownedAttributes). */
type OwnedAttributes = Map<string, { kind: OwnedKind; value: SyntaxNode; via?: string; passed?: boolean }>;

/** Per class node: a class's owned attributes, found once for all the loops in its methods. */
const ownedAttributesOf = new WeakMap<SyntaxNode, { module: ModuleInfo; made: OwnedAttributes }>();

/** The attributes `self.<attr> = <call>` of `cls` set to a single-owner object, or made from one. */
function ownedAttributes(cls: SyntaxNode, module: ModuleInfo): OwnedAttributes {
  const known = ownedAttributesOf.get(cls);
  if (known?.module === module) return known.made;
  const made = findOwnedAttributes(cls, module);
  ownedAttributesOf.set(cls, { module, made });
  return made;
}

function findOwnedAttributes(cls: SyntaxNode, module: ModuleInfo): OwnedAttributes {
  // what each `self.<attr> = <call>` of the class makes
  const made: OwnedAttributes = new Map();
  walk(cls, (n) => {
    if (n.type !== 'assignment') return true;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') return true;
    if (right?.type === 'identifier') {
      // `self.session = session` in a method whose parameter is annotated as one (`session: AsyncSession`)
      const fn = enclosingFunction(n);
      const kind = fn && scopeOf(fn).params.has(right.text) ? annotatedKind(fn, right.text, module) : null;
      if (kind) made.set(left.childForFieldName('attribute')!.text, { kind, value: right, passed: true });
      return true;
    }
    if (right?.type !== 'call') return true;
    const kind = kindOfValue(right, module);
    if (kind) made.set(left.childForFieldName('attribute')!.text, { kind, value: right });
    return true;
  });
  if (made.size === 0) return made;
  // `self.wait = WebDriverWait(self.driver, 10).until`: made from the owned object, it drives it too
  for (let changed = true; changed; ) {
    changed = false;
    walk(cls, (n) => {
      if (n.type !== 'assignment') return true;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self' || !right) return true;
      const name = left.childForFieldName('attribute')!.text;
      if (made.has(name)) return true;
      const source = right.descendantsOfType('attribute').find((a) => a.childForFieldName('object')?.text === 'self' && made.has(a.childForFieldName('attribute')!.text));
      if (source) {
        const from = source.childForFieldName('attribute')!.text;
        made.set(name, { ...made.get(from)!, via: made.get(from)!.via ?? from });
        changed = true;
      }
      return true;
    });
  }
  return made;
}

/**
 * `self.driver` read in the body (or in a method of the class it calls through `self`), where a method of the
 * class sets `self.driver = webdriver.Chrome(…)`: one object the iterations would share.
 */
function selfAttributeUse(nodes: SyntaxNode[], module: ModuleInfo): SingleOwnerUse | null {
  let cls: SyntaxNode | null = nodes[0] ?? null;
  while (cls && cls.type !== 'class_definition') cls = cls.parent;
  if (!cls) return null;
  const made = ownedAttributes(cls, module);
  if (made.size === 0) return null;
  const methods = ownMethods(cls);
  const queue = [...nodes];
  const seen = new Set<string>();
  for (let i = 0; i < queue.length && i < 60; i++) {
    let hit: SingleOwnerUse | null = null;
    walk(queue[i], (n) => {
      if (hit) return false;
      if (n.type !== 'attribute' || n.childForFieldName('object')?.text !== 'self') return true;
      const name = n.childForFieldName('attribute')!.text;
      const owned = made.get(name);
      if (owned) {
        hit = {
          name: `self.${name}`,
          message: `\`self.${name}\` ${owned.via ? `is made from \`self.${owned.via}\`, ` : 'is '}${owned.kind.what} ${
            owned.passed
              ? `passed in and kept by the object (\`${owned.value.parent!.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(owned.value)}, where \`${owned.value.text}\` is annotated as one)`
              : `made once for the object (\`${owned.value.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(owned.value)})`
          } and every iteration uses it (line ${lineOf(n)}): ${owned.kind.why}`,
          remedy: owned.kind.remedy,
          line: lineOf(n),
        };
        return false;
      }
      const method = methods.get(name);
      if (method && !seen.has(name)) {
        seen.add(name);
        queue.push(method);
      }
      return true;
    });
    if (hit) return hit;
  }
  return null;
}

/** A read that decides whether to write (`Model.objects.filter(…).exists()`, `Model.get_or_none(…)`) in `root`. */
function readCheck(root: SyntaxNode): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  walk(root, (n) => {
    if (found) return false;
    const f = n.type === 'call' ? n.childForFieldName('function') : null;
    if (f?.type === 'attribute' && /^(exists|get_or_none|first|count)$/.test(f.childForFieldName('attribute')!.text) && ancestorIs(n, 'if_statement')) found = n;
    return true;
  });
  return found;
}

function ancestorIs(n: SyntaxNode, type: string): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === type && p.childForFieldName('condition') && (p.childForFieldName('condition')!.id === n.id || isWithin(p.childForFieldName('condition')!, n))) return true;
  return false;
}

function isWithin(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * The first object the worker `nodes` would share with other iterations although it belongs to one thread:
 * a name bound outside the loop to such an object and read in the body, a tkinter object made in the body (the
 * pool's threads are not the Tk thread), or a write through an ORM model. `bound`: names the iteration binds.
 */
export function singleOwnerUse(nodes: SyntaxNode[], module: ModuleInfo, bound: ReadonlySet<string>): SingleOwnerUse | null {
  const transaction = transactionUse(nodes, bound);
  if (transaction) return transaction;
  const owned = mayMakeOwned(module);
  for (const node of owned ? nodes : []) {
    for (const r of readsIn(node)) {
      if (bound.has(r.text)) continue;
      const kind = kindOfName(r, module);
      if (!kind) {
        const method = boundMethodOwner(r, module);
        if (!method) continue;
        const made = singleValue(method.object, module) ?? globalBindings(method.object.text, module)[0];
        return {
          name: r.text,
          message: `\`${r.text}\` is \`${method.value.text}\`, a method bound to \`${method.object.text}\`, which is ${method.kind.what} made once outside the loop (\`${made.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(made)}); every iteration calls it (line ${lineOf(r)}), so every iteration uses that object: ${method.kind.why}`,
          remedy: method.kind.remedy,
          line: lineOf(r),
        };
      }
      const holder = enclosingFunction(r);
      const made = holder && scopeOf(holder).params.has(r.text) && annotatedKind(holder, r.text, module) ? undefined : (singleValue(r, module) ?? globalBindings(r.text, module)[0]);
      const origin = made ? `made once outside the loop (\`${made.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(made)})` : 'passed in (its annotation says so)';
      return {
        name: r.text,
        message: `\`${r.text}\` is ${kind.what} ${origin} and every iteration uses it (line ${lineOf(r)}): ${kind.why}`,
        remedy: kind.remedy,
        line: lineOf(r),
      };
    }
  }
  const attribute = owned ? selfAttributeUse(nodes, module) : null;
  if (attribute) return attribute;
  let found: SingleOwnerUse | null = null;
  for (const { node: reached, calledAs } of sameFileCallees(nodes, module, { limit: 50 })) {
    const node = calledAs ? reached.childForFieldName('body') ?? reached : reached;
    // locals assigned in the body from a call (`episode = Episode(...)`)
    const locals = new Map<string, SyntaxNode>();
    walk(node, (n) => {
      if (found) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'assignment' && n.childForFieldName('left')?.type === 'identifier' && n.childForFieldName('right')) locals.set(n.childForFieldName('left')!.text, n.childForFieldName('right')!);
      if (n.type !== 'call') return true;
      const f = n.childForFieldName('function');
      const qualified = f ? importedName(f.text, module) : null;
      const made = qualified ? kindOfCall(qualified) : null;
      if (made === TK || made === GUI) {
        found = { name: f!.text, message: `\`${n.text.split('\n')[0].slice(0, 50)}\` (line ${lineOf(n)}) makes ${made.what} in the iteration: ${made.why}`, remedy: made.remedy, line: lineOf(n) };
        return false;
      }
      const shown = viewerOpened(n, module, locals);
      if (shown) {
        found = shown;
        return false;
      }
      const write = modelWrite(n, module, locals);
      const checked = write ? readCheck(node) : null;
      if (write) {
        found = {
          name: write.model,
          message: `\`${n.text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(n)}) writes through the ORM model \`${write.model}\` (from \`${write.from}\`): every iteration writes to the same database, where concurrent writes wait for each other (with SQLite, one writer at a time)${checked ? `, and the check before the write (\`${checked.text.split('\n')[0].slice(0, 80)}\`, line ${lineOf(checked)}) can race with another iteration's write` : ''}`,
          remedy: 'keep the loop sequential (one transaction around it is the usual speed-up), or gather what to write in a pool and write it from the parent',
          line: lineOf(n),
        };
        return false;
      }
      return true;
    });
    if (found) return found;
  }
  return null;
}

/**
 * `with engine.begin() as conn:` around the loop, and the iterations pass `conn` on (`insert(conn, …)`): the target
 * of a `with` over `….begin()` is one open transaction (SQLAlchemy's `Engine.begin()` and `Session.begin()`, a
 * DB-API or LMDB transaction), and its statements run one at a time, in order, on one connection.
 */
function transactionUse(nodes: SyntaxNode[], bound: ReadonlySet<string>): SingleOwnerUse | null {
  const first = nodes[0];
  if (!first) return null;
  // the `with` statements enclosing the loop, up to its function
  const targets = new Map<string, SyntaxNode>();
  for (let p = first.parent; p && p.type !== 'function_definition' && p.type !== 'class_definition' && p.type !== 'lambda'; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    for (const pattern of descendantsNamed(p.namedChildren[0] ?? p, 'as_pattern')) {
      const value = pattern.namedChildren[0];
      const target = pattern.namedChildren[pattern.namedChildren.length - 1];
      const name = target?.type === 'as_pattern_target' ? target.namedChildren[0] : target;
      const f = value?.type === 'call' ? value.childForFieldName('function') : null;
      const args = value?.childForFieldName('arguments');
      if (name?.type !== 'identifier' || f?.type !== 'attribute' || f.childForFieldName('attribute')!.text !== 'begin' || (args && namedChildren(args).length > 0)) continue;
      if (!targets.has(name.text)) targets.set(name.text, value!);
    }
  }
  if (targets.size === 0) return null;
  for (const node of nodes) {
    for (const r of readsIn(node)) {
      const made = targets.get(r.text);
      if (!made || bound.has(r.text)) continue;
      return {
        name: r.text,
        message: `\`${r.text}\` is one open transaction (\`with ${made.text.split('\n')[0].slice(0, 50)} as ${r.text}:\`, line ${lineOf(made)}) and every iteration uses it (line ${lineOf(r)}): its statements run one at a time, in order, on one connection, which threads must not use at once`,
        remedy: 'keep the loop sequential, or write the rows in one statement (`conn.execute(table.insert(), rows)`)',
        line: lineOf(r),
      };
    }
  }
  return null;
}
