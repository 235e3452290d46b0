// Neural-network models a loop runs once per item: `self.model = CLIPModel.from_pretrained(…)` then
// `self.model.get_image_features(**inputs)` per batch, `model = YOLO("yolov8n.pt")` then `model(image)`. The
// frameworks already spread one call over every core; a process pool copies the model (gigabytes) into every
// worker and loses the thread's settings around the loop (`torch.no_grad()`), and threads contend for the same
// cores. The expert's speed-up is a bigger batch, not a pool.
import type { SyntaxNode } from '../parser';
import { enclosingFunction, lineOf, returnedValues, walk } from '../syntax';
import { singleValue } from './cost';
import { readsIn } from './dependence';
import { plainArgumentFor } from './effects';
import { sameFileCallees } from './methods';
import { importedName, importedNameAt, scopeOf, type ModuleInfo } from './scope';

/** Calls that load or build a model, by qualified name. */
const MODEL_MAKERS = new RegExp(
  [
    String.raw`^(transformers|diffusers|sentence_transformers|peft|optimum|timm|open_clip|torchvision)\..*\.from_pretrained$`,
    String.raw`^sentence_transformers\.SentenceTransformer$`,
    String.raw`^sentence_transformers\.CrossEncoder$`,
    String.raw`^transformers\.pipeline$`,
    String.raw`^ultralytics\.(YOLO|RTDETR|SAM|FastSAM|NAS)$`,
    String.raw`^whisper\.load_model$`,
    String.raw`^faster_whisper\.WhisperModel$`,
    String.raw`^torch\.(load|jit\.load|hub\.load)$`,
    String.raw`^(tensorflow\.keras|keras|tf\.keras)\.models\.load_model$`,
    String.raw`^onnxruntime\.InferenceSession$`,
    String.raw`^clip\.load$`,
    String.raw`^open_clip\.create_model_and_transforms$`,
    String.raw`^timm\.create_model$`,
    String.raw`^torchvision\.models\.\w+$`,
    String.raw`^easyocr\.Reader$`,
    String.raw`^paddleocr\.PaddleOCR$`,
  ].join('|'),
);

/** Calls that hand back the model they are given, wrapped: a feature extractor over its layers, compiled, sharded. */
const MODEL_WRAPPERS = /^(torchvision\.models\.feature_extraction\.create_feature_extractor|torch\.compile|torch\.nn\.(DataParallel|parallel\.DistributedDataParallel)|torch\.jit\.(script|trace)|peft\.get_peft_model)$/;

/** Methods of a model (or of what `torch.load` gives) that run no inference. */
const NOT_A_RUN = /^(items|keys|values|get|copy|state_dict|load_state_dict|parameters|named_parameters|modules|children|to|eval|train|cuda|cpu|half|float|save|save_pretrained|zero_grad|requires_grad_)$/;

export interface ModelRun {
  /** The call of the model in the loop (or in a function of this file it calls). */
  call: SyntaxNode;
  /** How the model is named there: `self.model`, `model`. */
  model: string;
  /** The call that made it. */
  made: SyntaxNode;
}

/** The first call of a loaded model made by `nodes` or by the functions and methods of this file they call. */
export function modelRun(nodes: readonly SyntaxNode[], module: ModuleInfo): ModelRun | null {
  if (!mayLoadModels(module)) return null;
  for (const { node } of sameFileCallees(nodes, module, { limit: 60, methods: true })) {
    let found: ModelRun | null = null;
    walk(node, (n) => {
      if (found) return false;
      if (n.type !== 'call') return true;
      const f = n.childForFieldName('function');
      if (!f) return true;
      // the model called (`model(x)`, `self.model(**inputs)`), or a method of it (`model.predict(x)`); a state
      // dict's entries, a model moved or switched to evaluation run no inference
      const called = modelMadeAt(f, module);
      const receiver = f.type === 'attribute' ? f.childForFieldName('object')! : null;
      const made = called ?? (receiver && !NOT_A_RUN.test(f.childForFieldName('attribute')!.text) ? modelMadeAt(receiver, module) : null);
      if (made) found = { call: n, model: (called ? f : receiver!).text, made };
      return !found;
    });
    if (found) return found;
  }
  return null;
}

/** Where `receiver` (a name, or `self.attr`) was made by loading a model, or null. */
function modelMadeAt(receiver: SyntaxNode, module: ModuleInfo, depth = 0): SyntaxNode | null {
  if (receiver.type === 'identifier') {
    const value = singleValue(receiver, module);
    if (value) return makesModel(value, module, depth) || returnsModel(value, null, module, depth) ? value : null;
    return depth < 4 ? modelBoundTo(receiver, module, depth) : null;
  }
  if (receiver.type === 'attribute' && receiver.childForFieldName('object')?.text === 'self') {
    const attribute = receiver.childForFieldName('attribute')!.text;
    let cls: SyntaxNode | null = receiver.parent;
    while (cls && cls.type !== 'class_definition') cls = cls.parent;
    if (!cls) return null;
    // every `self.attr = …` of the class makes a model (a later `self.model.to(device)` is a call, not a binding)
    const values: SyntaxNode[] = [];
    walk(cls, (n) => {
      if (n.type === 'assignment' && n.childForFieldName('left')?.text === `self.${attribute}` && n.childForFieldName('right')) values.push(n.childForFieldName('right')!);
      return true;
    });
    return values.length > 0 && values.every((v) => makesModel(v, module)) ? values[0] : null;
  }
  return null;
}

/**
 * A name bound more than once to one model: made in each arm of an `if` (`AutoPeftModelForCausalLM.from_pretrained`
 * or `AutoModelForCausalLM.from_pretrained`) and handed back wrapped (`model, processor = accelerator.prepare(model,
 * processor)`, `model = torch.compile(model)`); or a parameter every call of its function in the file passes a model
 * (`calculate_clip_scores(model, …)` after `model = CLIPModel.from_pretrained(…)`). Round 34: three captioning loops.
 */
function modelBoundTo(name: SyntaxNode, module: ModuleInfo, depth: number): SyntaxNode | null {
  // a closure's free name (`def greet(image):` reading the `model` of the function around it): that function's
  let fn = enclosingFunction(name);
  while (fn && !scopeOf(fn).locals.has(name.text) && !scopeOf(fn).params.has(name.text) && enclosingFunction(fn)) fn = enclosingFunction(fn);
  const scope = fn?.childForFieldName('body') ?? module.root;
  const values: SyntaxNode[] = [];
  walk(scope, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type !== 'assignment') return true;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const binds = left?.type === 'identifier' ? left.text === name.text : !!left && ['pattern_list', 'tuple_pattern'].includes(left.type) && left.namedChildren.some((c) => c?.type === 'identifier' && c.text === name.text);
    if (binds && right) values.push(right);
    return true;
  });
  if (values.length > 0) {
    // each step down (a name's binding, a wrapper's argument) counts: `m = torch.compile(m)` refers to itself
    const made = values.filter((v) => makesModel(v, module, depth + 1) || returnsModel(v, positionOf(name.text, v.parent!.childForFieldName('left')!), module, depth + 1));
    const wraps = (v: SyntaxNode) => v.type === 'call' && readsIn(v).some((r) => r.text === name.text);
    return made.length > 0 && values.every((v) => made.includes(v) || wraps(v)) ? made[0] : null;
  }
  // a parameter: what every call of its function in this file passes for it
  const fnName = fn?.childForFieldName('name')?.text;
  if (!fn || !fnName || !scopeOf(fn).params.has(name.text)) return null;
  const passed: SyntaxNode[] = [];
  let unknown = false;
  walk(module.root, (n) => {
    if (n.type !== 'call' || n.childForFieldName('function')?.type !== 'identifier' || n.childForFieldName('function')!.text !== fnName) return true;
    const arg = plainArgumentFor(n, fn, name.text);
    if (arg) passed.push(arg);
    else unknown = true;
    return true;
  });
  if (unknown || passed.length === 0) return null;
  const made = passed.map((a) => (makesModel(a, module, depth + 1) ? a : a.type === 'identifier' ? modelMadeAt(a, module, depth + 1) : null));
  return made.every((m) => !!m) ? made[0] : null;
}

/** Where `name` stands in the left side of an assignment: null for a plain name, its index in `a, b, c = …`. */
function positionOf(name: string, left: SyntaxNode): number | null {
  if (left.type === 'identifier') return null;
  const index = left.namedChildren.findIndex((c) => c?.type === 'identifier' && c.text === name);
  return index >= 0 && left.namedChildren.every((c) => c?.type === 'identifier') ? index : -1;
}

/**
 * A call of a module-level function of this file every `return` of which hands back a model — the whole value, or
 * the element at `position` of the tuple it returns (`model, classes, size = load_model(weights, device)` after
 * `return model, ckpt["classes"], ckpt["imgsz"]`). Round 63: a ResNet evaluation over local JPEGs.
 */
function returnsModel(value: SyntaxNode, position: number | null, module: ModuleInfo, depth: number): boolean {
  if (value.type !== 'call' || position === -1 || depth > 3) return false;
  const f = value.childForFieldName('function');
  const fn = f?.type === 'identifier' ? module.functions.get(f.text) : undefined;
  if (!fn) return false;
  // (every `return` gives a value: a bare one leaves none)
  const returned = returnedValues(fn).map((v) => (position === null ? v : v.type === 'expression_list' || v.type === 'tuple' ? (v.namedChildren.filter((c) => c.type !== 'comment')[position] ?? null) : null));
  return returned.length > 0 && returned.every((v) => !!v && (makesModel(v, module, depth + 1) || (v.type === 'identifier' && !!modelMadeAt(v, module, depth + 1))));
}

/** `CLIPModel.from_pretrained(…)`, `YOLO("yolov8n.pt")`, and those followed by `.to(device)`, `.eval()`, `.cuda()`. */
function makesModel(value: SyntaxNode, module: ModuleInfo, depth = 0): boolean {
  if (value.type !== 'call') return false;
  const f = value.childForFieldName('function');
  if (!f) return false;
  if (f.type === 'attribute' && /^(to|eval|cuda|cpu|half|float)$/.test(f.childForFieldName('attribute')!.text)) return makesModel(f.childForFieldName('object')!, module, depth);
  const qualified = importedNameAt(f.text, value, module);
  // a model wrapped (`create_feature_extractor(model, return_nodes=…)`, `torch.compile(model)`) is that model
  if (qualified && MODEL_WRAPPERS.test(qualified) && depth < 3) {
    const first = value.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'comment' && a?.type !== 'keyword_argument');
    return !!first && (makesModel(first, module, depth + 1) || (first.type === 'identifier' && !!modelMadeAt(first, module, depth + 1)));
  }
  // a tokenizer or an image processor prepares inputs (Python and NumPy, not the model's threads)
  return !!qualified && MODEL_MAKERS.test(qualified) && !/(Processor|Tokenizer\w*|FeatureExtractor)\.from_pretrained$/.test(qualified);
}

const mayLoad = new WeakMap<ModuleInfo, boolean>();

/** Whether the module imports one of the libraries MODEL_MAKERS knows, at its top or in a function. */
function mayLoadModels(module: ModuleInfo): boolean {
  let may = mayLoad.get(module);
  if (may === undefined) {
    may = /^[ \t]*(?:import|from)[ \t]+(transformers|diffusers|sentence_transformers|peft|optimum|timm|open_clip|torchvision|ultralytics|whisper|faster_whisper|torch|tensorflow|keras|onnxruntime|clip|easyocr|paddleocr)\b/m.test(module.root.text);
    mayLoad.set(module, may);
  }
  return may;
}

export function describeModelRun(run: ModelRun): string {
  return `each iteration runs \`${run.model}\` (line ${lineOf(run.call)}), a model loaded once (\`${run.made.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(run.made)}): its framework already spreads each call over the cores, so threads would contend for the same cores, and a process pool would copy the whole model into every worker (and lose settings such as \`torch.no_grad()\` made in this thread)`;
}

/** Libraries whose training already spreads over every core by default (`n_jobs`/`nthread` default to all). */
const THREADED_TRAINERS = /^(lightgbm|xgboost|catboost)\./;

/** Methods that train (or cross-validate) a model. */
const TRAINING_METHODS = /^(fit|train|fit_transform|partial_fit|cv)$/;

/**
 * A training call of a library that already uses every core, in `nodes` or in the functions of this file they call
 * (`lgb.train(…)`, `model.fit(…)` on `model = xgb.XGBClassifier(…)`, or any estimator made with `n_jobs=-1`),
 * with the library's name; null otherwise.
 */
export function threadedTraining(nodes: readonly SyntaxNode[], module: ModuleInfo): { call: SyntaxNode; library: string } | null {
  if (!/\b(lightgbm|xgboost|catboost|n_jobs)\b/.test(module.root.text)) return null;
  for (const { node } of sameFileCallees(nodes, module, { limit: 20 })) {
    let found: { call: SyntaxNode; library: string } | null = null;
    walk(node, (n) => {
      if (found) return false;
      if (n.type !== 'call') return true;
      const f = n.childForFieldName('function');
      const qualified = f ? importedName(f.text, module) : null;
      // `lgb.train(params, data)`, `xgb.cv(…)`
      if (qualified && THREADED_TRAINERS.test(qualified) && TRAINING_METHODS.test(qualified.slice(qualified.lastIndexOf('.') + 1))) found = { call: n, library: qualified.split('.')[0] };
      else if (f?.type === 'attribute' && TRAINING_METHODS.test(f.childForFieldName('attribute')!.text)) {
        // `model.fit(…)` on a model a library that uses every core made (here or in the loop's own body)
        const receiver = f.childForFieldName('object')!;
        const made = receiver.type === 'call' ? receiver : receiver.type === 'identifier' ? (singleValue(receiver, module) ?? assignedIn(node, receiver.text)) : null;
        const maker = made?.type === 'call' ? importedName(made.childForFieldName('function')?.text ?? null, module) : null;
        if (maker && THREADED_TRAINERS.test(maker)) found = { call: n, library: maker.split('.')[0] };
        else if (made?.type === 'call' && /\bn_jobs\s*=\s*-1\b/.test(made.text)) found = { call: n, library: maker?.split('.')[0] ?? 'the estimator' };
      }
      return !found;
    });
    if (found) return found;
  }
  return null;
}

/** The value of the one plain assignment `name = value` inside `root`, if there is exactly one. */
function assignedIn(root: SyntaxNode, name: string): SyntaxNode | null {
  let value: SyntaxNode | null = null;
  let count = 0;
  walk(root, (n) => {
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === name) {
      count++;
      value = n.childForFieldName('right');
    }
    return true;
  });
  return count === 1 ? value : null;
}
