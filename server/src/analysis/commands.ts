// Commands a loop runs that come from its data: `subprocess.run(snippet.command, shell=True)`,
// `[sys.executable, "-c", block.code]`. A list of commands read from a file, a document or the command line is a
// script: what each does is unknown and a later one may rely on an earlier one. A loop running a program the
// code names (`["git", "show", commit]`, `[tool, "--version"]` over a literal list of tools) is not one.
import type { SyntaxNode } from '../parser';
import { boundNames, descendantsOfTypes, dottedName, enclosingFunction, lineOf, namedChildren, walk } from '../syntax';
import { readsIn } from './dependence';
import { plainArgumentFor } from './effects';
import { derivedNames } from './itemData';
import { importedName, type ModuleInfo, scopeOf, valuesBound } from './scope';

/** The calls that run a program: the command is their first argument. */
const RUNS_PROGRAM = /^(subprocess\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\.(system|popen)|asyncio\.create_subprocess_(shell|exec))$/;

/** Flags after which an interpreter's next argument is code: `python -c`, `bash -c`, `cmd /c`, `node -e`. */
const CODE_FLAGS = /^["'](-c|\/c|\/C|-e|--eval|-Command)["']$/;

/**
 * Programs that change one store on the machine, which they lock while they do: `git` commands writing the
 * repository (its index and refs: `index.lock`), package managers installing. Run at once, they fail or race.
 */
const STORE_WRITERS: Record<string, { sub: RegExp; store: string }> = {
  git: { sub: /^(add|rm|mv|commit|checkout|switch|restore|reset|stash|merge|rebase|pull|fetch|tag|branch|gc|apply|am|cherry-pick|revert|clean|update-index|notes|worktree)$/, store: "the repository's index and refs (one `index.lock` at a time)" },
  pip: { sub: /^(install|uninstall)$/, store: 'the environment\'s installed packages' },
  pip3: { sub: /^(install|uninstall)$/, store: 'the environment\'s installed packages' },
  'apt-get': { sub: /^(install|remove|purge|upgrade|update)$/, store: 'the system\'s package database (one dpkg lock at a time)' },
  apt: { sub: /^(install|remove|purge|upgrade|update)$/, store: 'the system\'s package database (one dpkg lock at a time)' },
  npm: { sub: /^(install|i|uninstall|ci)$/, store: 'the project\'s `node_modules`' },
  brew: { sub: /^(install|uninstall|reinstall|upgrade|update|remove|tap|link|unlink)$/, store: 'the Homebrew prefix (one lock per formula and for `update`)' },
  dnf: { sub: /^(install|remove|erase|upgrade|update|reinstall)$/, store: 'the system\'s package database (one rpm lock at a time)' },
  yum: { sub: /^(install|remove|erase|upgrade|update|reinstall)$/, store: 'the system\'s package database (one rpm lock at a time)' },
  pacman: { sub: /^-(S|R|U)\w*$/, store: 'the system\'s package database (one `db.lck` at a time)' },
  conda: { sub: /^(install|remove|uninstall|update|upgrade|create)$/, store: 'the environment\'s installed packages' },
  gem: { sub: /^(install|uninstall|update)$/, store: 'the installed gems' },
  cargo: { sub: /^(install|uninstall)$/, store: 'the installed binaries (`~/.cargo`)' },
  snap: { sub: /^(install|remove|refresh)$/, store: 'the system\'s snaps (one change at a time)' },
  choco: { sub: /^(install|uninstall|upgrade)$/, store: 'the machine\'s packages' },
  winget: { sub: /^(install|uninstall|upgrade)$/, store: 'the machine\'s packages' },
  uv: { sub: /^(pip|add|remove|sync)$/, store: 'the environment\'s installed packages' },
  poetry: { sub: /^(add|remove|install|update)$/, store: 'the environment\'s installed packages and `poetry.lock`' },
  pipx: { sub: /^(install|uninstall|upgrade|reinstall)$/, store: 'the installed applications' },
  yarn: { sub: /^(add|remove|install|upgrade)$/, store: "the project's `node_modules` and `yarn.lock`" },
  pnpm: { sub: /^(add|remove|install|i|update)$/, store: "the project's `node_modules` and `pnpm-lock.yaml`" },
  // comfy-cli: a custom node's folder in ComfyUI and its requirements pip-installed into ComfyUI's environment
  comfy: { sub: /^(node|install|update)$/, store: "ComfyUI's custom nodes and the packages of its environment" },
  // Calibre's command line: every change goes to the library's `metadata.db` and its folders (round 67: formats
  // removed from one library, one `calibredb` per book, under a lock the project's own docstring asks for)
  calibredb: { sub: /^(add|remove|add_format|remove_format|set_metadata|set_custom|add_custom_column|remove_custom_column|embed_metadata|backup_metadata|restore_database|check_library|clone|catalog|saved_searches)$/, store: "the Calibre library's `metadata.db` and book folders" },
};

const STORE_WORDS = new RegExp(`\\b(${Object.keys(STORE_WRITERS).map((w) => w.replace(/[-]/g, '\\$&')).join('|')})\\b`);

export interface StoreCommand {
  call: SyntaxNode;
  command: string;
  store: string;
  via?: string;
}

/** What the words of a command read in a callee: the names its parameters stand for, and the callee's name. */
interface CalleeContext {
  via: string | undefined;
  bound: (name: string) => SyntaxNode | null;
}

const NO_CALLER: CalleeContext = { via: undefined, bound: () => null };

/** The callee's parameters stand for what this call passes (`_run_git(["rm", …])` into `["git", *args]`). */
function enterCallee(ctx: CalleeContext, call: SyntaxNode, target: SyntaxNode): CalleeContext {
  const params = scopeOf(target).params;
  // `def run(*args)` called `run("brew", "install", package)`: `args` is the call's positional arguments
  const first = target.childForFieldName('parameters')?.namedChildren[0];
  const star = first?.type === 'list_splat_pattern' ? first.namedChildren[0]?.text : undefined;
  return { via: ctx.via ?? call.childForFieldName('function')!.text, bound: (p: string) => (p === star ? call.childForFieldName('arguments') : params.has(p) ? plainArgumentFor(call, target, p) : null) };
}

/** Where the program is among a command's words: after `sudo` and its options (`sudo -E apt install …`). */
function programIndex(words: readonly string[]): number {
  let at = 0;
  if (words[0] === 'sudo') for (at = 1; words[at]?.startsWith('-'); at++);
  return at;
}

/** A program run in the loop (or a function of this file it calls) that writes a store every run shares. */
export function storeCommand(nodes: readonly SyntaxNode[], module: ModuleInfo, items: Iterable<string> = []): StoreCommand | null {
  // the names whose values differ between iterations: the item and what the body derives from it
  const varying = derivedNames(nodes, items);
  const text = nodes.map((n) => n.text).join('\n');
  // (a program held in a constant is spelled in another case: `_CALIBREDB`)
  if (!STORE_WORDS.test(text) && !STORE_WORDS.test(text.toLowerCase().replace(/_/g, ' ')) && !/\bself\.\w+/.test(text) && !nodes.some((n) => callsIn(n).some((c) => module.functions.has(c.childForFieldName('function')?.text ?? '')))) return null;
  const reached = reachedRun(nodes, module, NO_CALLER, {
    enter: enterCallee,
    run: (call, ctx) => {
      const found = storeWrite(literalWords(commandArgument(call), ctx.bound));
      // a repository of each iteration's own: `git pull` run with a `cwd=` the code computes, or after the loop
      // changes directory (round 34: each organisation repository pulled in its own folder — the directory change
      // is the reason then, not a lock the runs share)
      if (found?.command.startsWith('git ') && (itemCwd(call, ctx.bound, varying) || nodes.some((n) => /\bchdir\s*\(/.test(n.text)))) return null;
      return found ? { call, ...found, via: ctx.via } : null;
    },
  });
  if (reached) return reached;
  // `run(self.name, "install", package)` with `name = "brew"`: a helper handed the words of a store-writing command
  for (const node of nodes) {
    for (const call of callsIn(node)) {
      const words = literalWords(call.childForFieldName('arguments'));
      const found = words.length > 1 ? storeWrite(words) : null;
      if (found) return { call, ...found, via: call.childForFieldName('function')?.text.split('\n')[0] };
    }
  }
  return null;
}

/**
 * Programs that take any number of operands and return in about a millisecond (they change a name, a mode or a
 * process table): run once per item, the expert's rewrite is one run with every item, not a pool.
 */
const QUICK_OPERAND_PROGRAMS = new Set(['kill', 'rm', 'rmdir', 'mkdir', 'chmod', 'chown', 'chgrp', 'touch', 'unlink', 'systemctl']);
const QUICK_OPERAND_WORDS = new RegExp(`\\b(${[...QUICK_OPERAND_PROGRAMS].join('|')})\\b`);
/** `systemctl` takes any number of units for these (`systemctl is-active a.service b.service` prints a line per unit, in order). */
const SYSTEMCTL_UNITS = /^(is-active|is-enabled|is-failed|start|stop|restart|reload|try-restart|enable|disable|mask|unmask|kill)$/;

/** A quick program taking many operands (`kill -9 PID`, `rm -f PATH`) run by the loop (or a function of this file it calls). */
export function quickOperandCommand(nodes: readonly SyntaxNode[], module: ModuleInfo): ProgramRun | null {
  return programRun(nodes, module, QUICK_OPERAND_WORDS, (program, words, at) => QUICK_OPERAND_PROGRAMS.has(program) && (program !== 'systemctl' || SYSTEMCTL_UNITS.test(words.slice(at + 1).find((w) => !w.startsWith('-')) ?? '')));
}

/** A run of a program the loop makes (or a function of this file it calls). */
type ProgramRun = { call: SyntaxNode; words: string[]; via?: string };

/**
 * Programs that ask the person at the machine to authenticate on every run (a polkit or desktop password dialog):
 * run at once, the dialogs pile up, and one person answers them one at a time.
 */
const AUTHENTICATING_PROGRAMS = new Set(['pkexec', 'gksu', 'gksudo', 'kdesu', 'kdesudo', 'runas']);
const AUTHENTICATING_WORDS = new RegExp(`\\b(${[...AUTHENTICATING_PROGRAMS].join('|')})\\b`);

/** A program that asks for a password on each run (`pkexec taskset …`), run by the loop or a function it calls. */
export function authenticatingCommand(nodes: readonly SyntaxNode[], module: ModuleInfo): ProgramRun | null {
  return programRun(nodes, module, AUTHENTICATING_WORDS, (program, words) => AUTHENTICATING_PROGRAMS.has(program) || words.some((w) => AUTHENTICATING_PROGRAMS.has(w)));
}

/**
 * Local programs that inspect or set one small thing and exit within milliseconds, most of it spent starting:
 * compiling a message catalogue, listing a binary's imports, setting a process's affinity or priority.
 */
const QUICK_PROGRAMS = new Set(['msgfmt', 'objdump', 'dumpbin', 'nm', 'readelf', 'ldd', 'otool', 'file', 'stat', 'taskset', 'renice', 'ionice', 'chattr', 'lsattr', 'setfacl', 'getfacl', 'xattr', 'strip', 'install_name_tool', 'pgrep', 'pidof', 'whoami', 'uname', 'hostname', 'which', 'whereis', 'xdg-mime', 'gsettings', 'dconf', 'defaults', 'notify-send', 'xdotool', 'wmctrl', 'amixer', 'pactl']);
const QUICK_WORDS = new RegExp(`\\b(${[...QUICK_PROGRAMS].join('|')})\\b`);

/**
 * The run of a quick local program (QUICK_PROGRAMS) when it is the only kind of program the loop runs (or a
 * function of this file it calls): every run found names one, and none names another program.
 */
export function quickProgramCommand(nodes: readonly SyntaxNode[], module: ModuleInfo): ProgramRun | null {
  const runs: ProgramRun[] = [];
  programRun(nodes, module, QUICK_WORDS, () => false, (run) => runs.push(run));
  // `["flatpak-spawn", "--host", "taskset", …]`: the program run on the host
  const programOf = (words: string[]) => {
    const at = programIndex(words);
    const program = (words[at] ?? '').replace(/^.*\//, '');
    return program === 'flatpak-spawn' ? words.slice(at + 1).find((w) => !w.startsWith('-')) ?? '' : program;
  };
  return runs.length > 0 && runs.every((r) => QUICK_PROGRAMS.has(programOf(r.words))) ? runs[0] : null;
}

/**
 * The first run, by the loop or a function of this file it calls, of a program `accept` takes (by its name, its
 * words and the index of the name among them); `spelled` finds the programs' names in the text, to skip the search.
 * `seen` is told of every run met on the way (until one is accepted).
 */
function programRun(nodes: readonly SyntaxNode[], module: ModuleInfo, spelled: RegExp, accept: (program: string, words: string[], at: number) => boolean, seen?: (run: ProgramRun) => void): ProgramRun | null {
  if (!spelled.test(nodes.map((n) => n.text).join('\n')) && !nodes.some((n) => callsIn(n).some((c) => module.functions.has(c.childForFieldName('function')?.text ?? '')))) return null;
  return reachedRun(nodes, module, NO_CALLER, {
    enter: enterCallee,
    run: (call, ctx) => {
      const words = literalWords(commandArgument(call), ctx.bound);
      const at = programIndex(words);
      const program = (words[at] ?? '').replace(/^.*\//, '').replace(/\.exe$/, '');
      const accepted = accept(program, words, at);
      seen?.({ call, words, via: ctx.via });
      return accepted ? { call, words, via: ctx.via } : null;
    },
  });
}

/**
 * Programs that transcode, render, recognise or compress a whole file: seconds of work per file on any real input
 * (`ffmpeg -i in.mov out.mp4`, `tesseract page.png out`, `magick in.tif out.jpg`). Run once per item, they are work
 * heavy by nature, whatever the count of items.
 */
const HEAVY_PROGRAMS = new Set(['ffmpeg', 'avconv', 'HandBrakeCLI', 'sox', 'lame', 'flac', 'opusenc', 'oggenc', 'x264', 'x265', 'convert', 'magick', 'gm', 'gs', 'ghostscript', 'tesseract', 'ocrmypdf', 'pandoc', 'pdflatex', 'xelatex', 'lualatex', 'latexmk', 'soffice', 'libreoffice', 'inkscape', 'blender', 'povray', 'optipng', 'pngquant', 'cwebp', 'avifenc', 'whisper', 'vina', 'obabel']);
const HEAVY_PROGRAM_WORDS = new RegExp(`\\b(${[...HEAVY_PROGRAMS].join('|')})\\b`);

/** A program heavy by nature (HEAVY_PROGRAMS) run by the loop (or a function of this file it calls). */
export function heavyProgramCommand(nodes: readonly SyntaxNode[], module: ModuleInfo): ProgramRun | null {
  return programRun(nodes, module, HEAVY_PROGRAM_WORDS, (program) => HEAVY_PROGRAMS.has(program));
}

/**
 * Encoders and renderers that spread one job over every core themselves (ffmpeg's x264/x265 encoders, HandBrake,
 * Blender's Cycles): several run at once share the same cores, so the gain is little beyond overlapping their reads
 * and writes (round 59: a chat analyser transcoding its top videos one ffmpeg at a time).
 */
const SELF_THREADED_PROGRAMS = new Set(['ffmpeg', 'avconv', 'HandBrakeCLI', 'x264', 'x265', 'blender']);

/** The doubt a loop running a self-threaded encoder or renderer (SELF_THREADED_PROGRAMS) gets, or null. */
export function selfThreadedCommandDoubt(nodes: readonly SyntaxNode[], module: ModuleInfo): { message: string; line: number } | null {
  const run = programRun(nodes, module, HEAVY_PROGRAM_WORDS, (program) => SELF_THREADED_PROGRAMS.has(program));
  if (!run) return null;
  const program = (run.words[programIndex(run.words)] ?? '').replace(/^.*\//, '').replace(/\.exe$/, '');
  return {
    message: `\`${program}\` spreads an encode or a render over every core itself: run several at once, they share those cores, and the gain is little more than overlapping their reads and writes (a copy or a remux gains more); cannot prove which this command does`,
    line: lineOf(run.call),
  };
}

/** Programs that talk to another machine on every run, and the subcommands that do (all, where none are listed). */
const REMOTE_PROGRAMS: Record<string, RegExp | null> = {
  curl: null,
  wget: null,
  aria2c: null,
  'yt-dlp': null,
  'youtube-dl': null,
  scp: null,
  sftp: null,
  ssh: null,
  whois: null,
  git: /^(clone|fetch|pull|push|ls-remote)$/,
  gsutil: /^(cp|rsync|ls|cat|mv|rm)$/,
};

/**
 * The program a call running a command (`subprocess.run(["git", "clone", url, dest])`) sends over the network on
 * every run, as `git clone`, or null: such a run waits at least a round trip to the other machine.
 */
export function remoteCommand(call: SyntaxNode): string | null {
  if (call.type !== 'call') return null;
  const words = literalWords(commandArgument(call));
  const at = programIndex(words);
  const program = (words[at] ?? '').replace(/^.*\//, '').replace(/\.exe$/, '');
  if (!Object.hasOwn(REMOTE_PROGRAMS, program)) return null;
  const subcommands = REMOTE_PROGRAMS[program];
  if (!subcommands) return program;
  const sub = words.slice(at + 1).find((w) => !w.startsWith('-'));
  return sub && subcommands.test(sub) ? `${program} ${sub}` : null;
}

/** The store a command spelled as words writes: `git rm …`, `sudo apt-get install …`, `python -m pip install …`. */
function storeWrite(spelled: string[]): { command: string; store: string } | null {
  // `sudo [-E] apt install …`
  let words = spelled.slice(programIndex(spelled));
  // `python -m pip install …` runs pip
  if (/^python[\d.]*$/.test(words[0] ?? '') && words[1] === '-m') words = words.slice(2);
  const program = (words[0] ?? '').replace(/^.*\//, '');
  const writer = STORE_WRITERS[program];
  if (!writer) return null;
  // `git -C repo rm …`: the first word that is not an option or its value; pacman's operation is an option (`-Syu`)
  const sub = program === 'pacman' ? words[1] : words.slice(1).find((w, i, all) => !w.startsWith('-') && !(i > 0 && /^(-C|-c|--with-library|--library-path)$/.test(all[i - 1])));
  if (!sub || !writer.sub.test(sub)) return null;
  // a group of commands (`comfy node install`, `uv pip install`): the one of the group that writes
  const group = GROUP_WRITES[`${program} ${sub}`];
  if (!group) return { command: `${program} ${sub}`, store: writer.store };
  const next = words[words.indexOf(sub) + 1] ?? '';
  return group.test(next) ? { command: `${program} ${sub} ${next}`, store: writer.store } : null;
}

/** Subcommand groups of STORE_WRITERS and their commands that write the store. */
const GROUP_WRITES: Record<string, RegExp> = {
  'comfy node': /^(install|uninstall|reinstall|update|fix|restore-snapshot|restore-dependencies)$/,
  'uv pip': /^(install|uninstall|sync)$/,
};

/** A `cwd=` argument computed from the item (through the parameter of a helper the loop calls, `cwd=cwd`). */
function itemCwd(call: SyntaxNode, bound: (name: string) => SyntaxNode | null, varying: Set<string>): boolean {
  const args = call.childForFieldName('arguments');
  const cwd = args ? namedChildren(args).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'cwd') : undefined;
  let value = cwd?.childForFieldName('value') ?? null;
  if (value?.type === 'identifier') value = bound(value.text) ?? value;
  return !!value && readsIn(value).some((r) => varying.has(r.text));
}

/** `self.name` read in a method of a class whose body sets `name = "brew"` and whose methods never rebind it. */
function classConstant(node: SyntaxNode): SyntaxNode | null {
  if (node.type !== 'attribute' || node.childForFieldName('object')?.text !== 'self') return null;
  const attribute = node.childForFieldName('attribute')?.text;
  let cls: SyntaxNode | null = node.parent;
  while (cls && cls.type !== 'class_definition') cls = cls.parent;
  const body = cls?.childForFieldName('body');
  if (!attribute || !body) return null;
  if (new RegExp(`\\bself\\.${attribute}\\s*(=[^=]|\\+=)`).test(body.text)) return null;
  for (const statement of namedChildren(body)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === attribute) return assignment.childForFieldName('right');
  }
  return null;
}

function unquote(text: string): string {
  return text.replace(/^[rbuRBUfF]*(['"]{1,3})/, '').replace(/(['"]{1,3})$/, '');
}

/**
 * The first program run (`subprocess.run`, `os.system`, …) in `nodes` or in the functions of this file they call,
 * three calls deep, that `run` accepts; `enter` makes the context of a callee from its caller's.
 */
function reachedRun<C, R>(nodes: readonly SyntaxNode[], module: ModuleInfo, start: C, hooks: { enter: (ctx: C, call: SyntaxNode, target: SyntaxNode, roots: readonly SyntaxNode[]) => C | null; run: (call: SyntaxNode, ctx: C, roots: readonly SyntaxNode[]) => R | null }): R | null {
  const seen = new Set<number>();
  const visit = (roots: readonly SyntaxNode[], ctx: C, depth: number): R | null => {
    if (depth > 3) return null;
    for (const root of roots) {
      for (const call of callsIn(root)) {
        const callee = call.childForFieldName('function');
        const name = dottedName(callee);
        const qualified = importedName(name, module) ?? name;
        if (qualified && RUNS_PROGRAM.test(qualified)) {
          const found = hooks.run(call, ctx, roots);
          if (found) return found;
          continue;
        }
        const target = callee?.type === 'identifier' ? module.functions.get(callee.text) : undefined;
        if (!target || seen.has(target.id)) continue;
        seen.add(target.id);
        const body = target.childForFieldName('body');
        const inner = body ? hooks.enter(ctx, call, target, roots) : null;
        const found = body && inner ? visit([body], inner, depth + 1) : null;
        if (found) return found;
      }
    }
    return null;
  };
  return visit(nodes, start, 0);
}

/**
 * The words of a command the code spells: `["git", "rm", …]`, `"git rm --cached x"`, `f"git -C {d} add ."`; a
 * word that is not a literal ends them (a caller's `["git", *args]` spells only `git`).
 */
function literalWords(command: SyntaxNode | null, bound: (name: string) => SyntaxNode | null = () => null): string[] {
  if (!command) return [];
  if (command.type === 'identifier') {
    // a parameter standing for what the caller passes, or a local bound once (`command = [sys.executable, "-m", …]`)
    const value = bound(command.text) ?? spelledCommand(command);
    return value && value.id !== command.id ? literalWords(value) : [];
  }
  if (command.type === 'list' || command.type === 'tuple' || command.type === 'argument_list') {
    const words: string[] = [];
    const elements = namedChildren(command).filter((c) => c.type !== 'comment' && c.type !== 'keyword_argument').flatMap((e) => {
      // `*args` of a parameter bound to a list the caller spells
      const spread = e.type === 'list_splat' && e.namedChildren[0]?.type === 'identifier' ? bound(e.namedChildren[0].text) : null;
      return spread && (spread.type === 'list' || spread.type === 'tuple') ? namedChildren(spread).filter((c) => c.type !== 'comment') : [e];
    });
    for (const e of elements) {
      if (e.text === 'sys.executable') {
        words.push('python');
        continue;
      }
      const constant = classConstant(e);
      if (constant?.type === 'string' && !namedChildren(constant).some((p) => p.type === 'interpolation')) {
        words.push(unquote(constant.text));
        continue;
      }
      // the program as a module constant: `CALIBREDB = shutil.which("calibredb") or "/opt/calibre/calibredb"`
      const program = words.length === 0 ? programConstant(e) : null;
      if (program) {
        words.push(program);
        continue;
      }
      if (e.type !== 'string' || namedChildren(e).some((p) => p.type === 'interpolation')) {
        // an unknown word: keep what came before only if it is an option's value (`-C`, repo)
        if (words.length > 0 && /^(-C|-c|--with-library|--library-path)$/.test(words[words.length - 1])) {
          words.push('?');
          continue;
        }
        break;
      }
      words.push(unquote(e.text));
    }
    return words;
  }
  if (command.type === 'string') {
    const text = unquote(command.text);
    return text.split(/\s+/).filter((w) => w !== '').map((w) => (/[{}]|%[-#0 +]*\d*[sdrif]/.test(w) ? '?' : w));
  }
  // `"git cherry-pick " + commit`: the literal parts, a value the code does not spell standing for one word (a
  // word the literal leaves open, `"HEAD~" + n`, is unknown too)
  if (command.type === 'binary_operator' && command.childForFieldName('operator')?.text === '+') {
    const parts: SyntaxNode[] = [];
    const flatten = (n: SyntaxNode) => {
      if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '+') {
        flatten(n.childForFieldName('left')!);
        flatten(n.childForFieldName('right')!);
      } else parts.push(n.type === 'parenthesized_expression' && n.namedChildren.length === 1 ? n.namedChildren[0] : n);
    };
    flatten(command);
    const words: string[] = [];
    let open = false;
    for (const part of parts) {
      if (part.type !== 'string' || namedChildren(part).some((p) => p.type === 'interpolation')) {
        if (open) words[words.length - 1] = '?';
        else words.push('?');
        open = true;
        continue;
      }
      const text = unquote(part.text);
      const spelled = literalWords(part);
      if (open && spelled.length > 0 && !/^\s/.test(text)) spelled[0] = '?';
      words.push(...spelled);
      open = text === '' ? open : !/\s$/.test(text);
    }
    return words;
  }
  // `"git cherry-pick %s" % commit`, `"git cherry-pick {}".format(commit)`: the template's words
  if (command.type === 'binary_operator' && command.childForFieldName('operator')?.text === '%' && command.childForFieldName('left')?.type === 'string') {
    return literalWords(command.childForFieldName('left'));
  }
  if (command.type === 'call') {
    const fn = command.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && fn.childForFieldName('object')?.type === 'string') return literalWords(fn.childForFieldName('object'));
  }
  return [];
}

export interface ItemProgram {
  /** The expression the command or code is taken from. */
  source: SyntaxNode;
  call: SyntaxNode;
  /** The function of this file the run is in, when it is not the loop's body. */
  via?: string;
  /** Where the items are read from a file or text (`md_path.read_text()`): the commands are a script. */
  readAt?: SyntaxNode;
}

/**
 * A program or code run by the loop (directly or through functions of this file, three calls deep) that is taken
 * from the loop's items, when the items are not a literal list the code shows.
 */
export function itemProgram(nodes: readonly SyntaxNode[], iterable: SyntaxNode | null, items: ReadonlySet<string>, module: ModuleInfo, scope: SyntaxNode | null): ItemProgram | null {
  if (!/\b(subprocess|system|popen|Popen|create_subprocess_\w+|run|call|check_output|check_call|getoutput)\b/.test(nodes.map((n) => n.text).join('\n'))) {
    if (!nodes.some((n) => callsIn(n).some((c) => module.functions.has(c.childForFieldName('function')?.text ?? '')))) return null;
  }
  if (iterable && literalList(iterable, module, scope)) return null;
  interface Taint {
    tainted: ReadonlySet<string>;
    fn: SyntaxNode | null;
    via?: string;
  }
  // one set per body reached (its roots and taint do not change while it is searched)
  const derivedCache = new Map<number, Set<string>>();
  const derivedIn = (roots: readonly SyntaxNode[], ctx: Taint) => {
    let names = derivedCache.get(roots[0]?.id ?? -1);
    if (!names) {
      names = derivedNames(roots, ctx.tainted);
      derivedCache.set(roots[0]?.id ?? -1, names);
    }
    return names;
  };
  const visited = (roots: readonly SyntaxNode[], start: Taint) =>
    reachedRun<Taint, ItemProgram>(roots, module, start, {
      enter: (ctx, call, target, callerRoots) => {
        const derived = derivedIn(callerRoots, ctx);
        const params = [...scopeOf(target).params].filter((p) => {
          const arg = plainArgumentFor(call, target, p);
          return arg !== null && readsIn(arg).some((r) => derived.has(r.text));
        });
        return params.length === 0 ? null : { tainted: new Set(params), fn: target, via: ctx.via ?? call.childForFieldName('function')!.text };
      },
      run: (call, ctx, roots) => {
        const command = commandArgument(call);
        const source = command ? programSource(command, derivedIn(roots, ctx), ctx.fn, 0) : null;
        return source?.whole ? { source: source.node, call, via: ctx.via } : null;
      },
    });
  const found = items.size > 0 ? visited(nodes, { tainted: items, fn: scope ?? module.root }) : null;
  if (found && iterable) {
    const readAt = textSource(iterable, scope ?? module.root, module, 0, new Set());
    if (readAt) found.readAt = readAt;
  }
  return found;
}

/** Calls that read a file or a stream's text. */
const READS_TEXT = /(^open$|\.(read_text|read|readlines|readline)$|^sys\.stdin|^(json|yaml|tomllib|toml)\.(load|safe_load)$)/;

/**
 * A call reading text that `expr`'s value is made from, following the names it reads to their bindings in
 * `scope` (assignments, `name.extend(…)`/`append(…)`), the arguments of calls and the bodies of this file's
 * functions it calls; null when none is seen.
 */
function textSource(expr: SyntaxNode, scope: SyntaxNode, module: ModuleInfo, depth: number, seen: Set<string>): SyntaxNode | null {
  if (depth > 4) return null;
  for (const call of [...(expr.type === 'call' ? [expr] : []), ...callsIn(expr).filter((c) => c.id !== expr.id)]) {
    const name = dottedName(call.childForFieldName('function')) ?? call.childForFieldName('function')?.text ?? '';
    if (READS_TEXT.test(name) || /\.(read_text|readlines)$/.test(name)) return call;
    const target = module.functions.get(name);
    if (target && !seen.has(`def ${name}`)) {
      seen.add(`def ${name}`);
      const body = target.childForFieldName('body');
      const read = body ? callsIn(body).find((c) => READS_TEXT.test(dottedName(c.childForFieldName('function')) ?? c.childForFieldName('function')?.text ?? '')) : undefined;
      if (read) return read;
    }
  }
  for (const r of readsIn(expr)) {
    if (seen.has(r.text)) continue;
    seen.add(r.text);
    for (const value of bindingValues(r.text, scope)) {
      const found = textSource(value, scope, module, depth + 1, seen);
      if (found) return found;
    }
  }
  return null;
}

/** The values `name` is given in `scope`: assigned (`name = v`, `name: T = v`), added (`name.extend(v)`, `name += v`) or iterated into. */
export function bindingValues(name: string, scope: SyntaxNode): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  walk(scope.type === 'module' ? scope : (scope.childForFieldName('body') ?? scope), (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if ((n.type === 'assignment' || n.type === 'augmented_assignment') && n.childForFieldName('left')?.text === name) {
      const right = n.childForFieldName('right');
      if (right) values.push(right);
    } else if (n.type === 'for_statement' && boundNames(n.childForFieldName('left')).includes(name)) {
      values.push(n.childForFieldName('right')!);
    } else if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type === 'attribute' && f.childForFieldName('object')?.text === name && /^(append|extend|insert)$/.test(f.childForFieldName('attribute')?.text ?? '')) values.push(n.childForFieldName('arguments')!);
    }
    return true;
  });
  return values;
}

/** The calls in `root`, comprehensions included (they run where they stand), nested functions left out. */
function callsIn(root: SyntaxNode): SyntaxNode[] {
  const calls: SyntaxNode[] = [];
  walk(root, (n) => {
    if (n.id !== root.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
    if (n.type === 'call') calls.push(n);
    return true;
  });
  return calls;
}

function commandArgument(call: SyntaxNode): SyntaxNode | null {
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const keyword = args.find((a) => a.type === 'keyword_argument' && /^(args|cmd|command)$/.test(a.childForFieldName('name')?.text ?? ''));
  return args.find((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') ?? keyword?.childForFieldName('value') ?? null;
}

/**
 * The part of a command that names the program or carries the code to run, when it is taken from `tainted`
 * names: the whole of `cmd`, the head of `f"{cmd} --flag"`, `[prog, …]`, `[python, "-c", code]`; null when the
 * program is spelled in the code (`f"git show {h}"`, `["git", "show", h]`, `template.format(h)`).
 */
function programSource(expr: SyntaxNode, tainted: ReadonlySet<string>, scope: SyntaxNode | null, depth: number): { node: SyntaxNode; whole: boolean } | null {
  if (depth > 4) return null;
  const reads = (n: SyntaxNode) => readsIn(n).some((r) => tainted.has(r.text));
  const whole = (node: SyntaxNode) => ({ node, whole: true });
  switch (expr.type) {
    case 'identifier': {
      const values = scope ? assignedValues(expr.text, scope) : null;
      if (values) {
        for (const v of values) {
          const found = programSource(v, tainted, scope, depth + 1);
          if (found) return found;
        }
        return null;
      }
      return tainted.has(expr.text) ? whole(expr) : null;
    }
    case 'parenthesized_expression':
      return expr.namedChildren[0] ? programSource(expr.namedChildren[0], tainted, scope, depth + 1) : null;
    case 'string': {
      const parts = namedChildren(expr).filter((c) => c.type !== 'string_start' && c.type !== 'string_end');
      const first = parts[0];
      if (!first || first.type !== 'interpolation') return null;
      const inner = first.childForFieldName('expression') ?? first.namedChildren[0];
      // `f"{cmd}"` is the whole command; `f"{tool} --version"` names only the program
      return inner && reads(inner) ? { node: inner, whole: parts.length === 1 } : null;
    }
    case 'concatenated_string':
    case 'binary_operator': {
      const left = expr.type === 'binary_operator' ? expr.childForFieldName('left') : expr.namedChildren[0];
      const found = left ? programSource(left, tainted, scope, depth + 1) : null;
      // `cmd + " --flag"` adds to the command: the rest is spelled in the code
      return found ? { node: found.node, whole: false } : null;
    }
    case 'list':
    case 'tuple': {
      const elements = namedChildren(expr).filter((c) => c.type !== 'comment');
      const head = elements[0];
      for (let i = 1; i < elements.length; i++) {
        if (CODE_FLAGS.test(elements[i - 1].text) && reads(elements[i])) return whole(elements[i]);
      }
      if (head) {
        if (head.type === 'list_splat') return reads(head) ? whole(head) : null;
        const found = programSource(head, tainted, scope, depth + 1);
        // `[tool, "--version"]`: the item names the program, the code spells what it is asked
        if (found) return { node: found.node, whole: found.whole && elements.length === 1 };
      }
      return null;
    }
    case 'call': {
      const callee = expr.childForFieldName('function');
      const args = namedChildren(expr.childForFieldName('arguments')!).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
      // `template.format(x)`: the template names the program; `" ".join(parts)`, `shlex.split(cmd)`: the parts do
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'format') return programSource(callee.childForFieldName('object')!, tainted, scope, depth + 1);
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'join' && args[0]) return programSource(args[0], tainted, scope, depth + 1);
      if (/^(shlex\.split|str)$/.test(callee?.text ?? '') && args[0]) return programSource(args[0], tainted, scope, depth + 1);
      return reads(expr) ? whole(expr) : null;
    }
    default:
      return reads(expr) ? whole(expr) : null;
  }
}

/** Every value a local of `scope` is assigned (`name = value`), or null when it is also bound otherwise (a loop target, a parameter). */
function assignedValues(name: string, scope: SyntaxNode): SyntaxNode[] | null {
  if (scope.type !== 'function_definition' && scope.type !== 'module') return null;
  if (scope.type === 'function_definition' && scopeOf(scope).params.has(name)) return null;
  const values: SyntaxNode[] = [];
  let other = false;
  walk(scope.type === 'module' ? scope : (scope.childForFieldName('body') ?? scope), (n) => {
    if (other) return false;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'assignment' && n.childForFieldName('left')?.type === 'identifier' && n.childForFieldName('left')!.text === name) {
      const right = n.childForFieldName('right');
      if (right) values.push(right);
      else other = true;
      return true;
    }
    if ((n.type === 'for_statement' || n.type === 'with_statement' || n.type === 'augmented_assignment' || n.type === 'for_in_clause') && boundHere(n, name)) other = true;
    return true;
  });
  return other || values.length === 0 ? null : values;
}

function boundHere(n: SyntaxNode, name: string): boolean {
  const target = n.type === 'with_statement' ? null : n.childForFieldName('left');
  if (target) return boundNames(target).includes(name);
  return n.type === 'with_statement' && descendantsOfTypes(n, new Set(['as_pattern_target']), true).some((t) => t.text === name);
}

/** `["pip", "uv"]`, or a name bound once to such a literal: the items are spelled in the code. */
function literalList(iterable: SyntaxNode, module: ModuleInfo, scope: SyntaxNode | null): boolean {
  const isLiteral = (n: SyntaxNode) => {
    const elements = namedChildren(n).filter((c) => c.type !== 'comment');
    return (n.type === 'list' || n.type === 'tuple' || n.type === 'set') && elements.length > 0 && elements.every((c) => c.type === 'string' && !namedChildren(c).some((p) => p.type === 'interpolation'));
  };
  if (isLiteral(iterable)) return true;
  if (iterable.type !== 'identifier') return false;
  const owner = scope && assignedValues(iterable.text, scope) ? scope : module.root;
  const values = assignedValues(iterable.text, owner);
  // a list added to later (`names.append(…)`, `names += …`) holds more than its literal
  const grown = new RegExp(`\\b${iterable.text}\\s*(\\.\\s*(append|extend|insert|add|update)\\s*\\(|\\+=)`).test(owner.text);
  return !!values && values.length === 1 && isLiteral(values[0]) && !grown;
}

export function describeItemProgram(found: ItemProgram): string {
  const what = found.source.text.split('\n')[0].slice(0, 40);
  const via = found.via ? ` through \`${found.via}()\`` : '';
  const runs = `each iteration runs a command taken from its item (\`${what}\`, line ${lineOf(found.call)}${via})`;
  if (found.readAt) return `${runs}, and the commands are read from a file or text (\`${found.readAt.text.split('\n')[0].slice(0, 40)}\`, line ${lineOf(found.readAt)}): commands read in order are a script, whose steps may rely on the ones before`;
  return `that the commands are independent: ${runs}, and what each one does is not known`;
}

/**
 * The list a name holding a command is bound to in its function (or at module level): its one binding, or the one
 * list among bindings that only put words before it (`cmd = ["flatpak-spawn", "--host"] + cmd`).
 */
/**
 * The program a module-level name is bound to once: a path or name spelled as a string, or found on the PATH
 * (`shutil.which("calibredb")`, with a fallback path after `or`); its base name, or null.
 */
function programConstant(name: SyntaxNode): string | null {
  if (name.type !== 'identifier') return null;
  const values = valuesBound(name.tree.rootNode, name.text);
  if (values.length !== 1 || !values[0]) return null;
  const names = (v: SyntaxNode): string[] => {
    if (v.type === 'string' && !namedChildren(v).some((p) => p.type === 'interpolation')) return [unquote(v.text).replace(/^.*[\\/]/, '')];
    if (v.type === 'call' && /^(shutil\.)?which$/.test(v.childForFieldName('function')?.text ?? '')) {
      const first = namedChildren(v.childForFieldName('arguments')!).find((a) => a.type !== 'comment');
      return first ? names(first) : [];
    }
    if (v.type === 'boolean_operator') return [...names(v.childForFieldName('left')!), ...names(v.childForFieldName('right')!)];
    return ['?'];
  };
  const found = [...new Set(names(values[0]).map((n) => n.replace(/\.exe$/i, '')))];
  return found.length === 1 && found[0] !== '?' && /^[\w.+-]+$/.test(found[0]) ? found[0] : null;
}

function spelledCommand(name: SyntaxNode): SyntaxNode | null {
  const values = valuesBound(enclosingFunction(name) ?? name.tree.rootNode, name.text);
  const lists = values.filter((v) => v?.type === 'list' || v?.type === 'tuple');
  const wrappers = values.filter((v) => v?.type === 'binary_operator' && v.childForFieldName('operator')?.text === '+' && v.childForFieldName('left')?.type === 'list' && v.childForFieldName('right')?.text === name.text);
  return lists.length === 1 && lists.length + wrappers.length === values.length ? lists[0] : null;
}
