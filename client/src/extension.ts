// VS Code side only: start the language server over IPC for Python files, register the commands, show
// slow analyses in the status bar, open rule pages rendered, and ask before an unsafe fix applies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CodeAction, commands, type ExtensionContext, StatusBarAlignment, Uri, window, workspace, type WorkspaceEdit, version as vscodeVersion } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { APPLY_UNSAFE_FIX_COMMAND, confirmationMessage, gateUnsafeFixes, unsafeFixesSetting } from './unsafeFixes';

const SHOW_DOCUMENTATION_COMMAND = 'parallelize.showDocumentation';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('Python Parallelize');
  const log = (message: string) => output.appendLine(`[Info  - ${new Date().toLocaleTimeString()}] ${message}`);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const extensionVersion = (context.extension.packageJSON as { version?: string }).version ?? '?';
  log(`Python Parallelize ${extensionVersion} starting (VS Code ${vscodeVersion}, server ${module})`);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: output,
    synchronize: {
      configurationSection: 'parallelize',
      // pyproject.toml holds [tool.parallelize]: re-read it when it changes
      fileEvents: workspace.createFileSystemWatcher('**/pyproject.toml'),
    },
    middleware: {
      // unsafe fixes: offered after `parallelize.unsafeFixes` (see unsafeFixes.ts)
      provideCodeActions: async (document, range, context, token, next) => {
        const actions = await next(document, range, context, token);
        if (!actions) return actions;
        const mode = unsafeFixesSetting(workspace.getConfiguration('parallelize', document.uri).get('unsafeFixes'));
        // a bare Command (none come from this server) has no edit and passes unchanged
        return gateUnsafeFixes<WorkspaceEdit, CodeAction>(actions as CodeAction[], mode);
      },
      // "Show documentation": the bundled rule page, rendered (other editors get the server's showDocument)
      executeCommand: async (command, args, next) => {
        const code = String(args[0] ?? '').toUpperCase();
        const page = context.asAbsolutePath(path.join('dist', 'docs', 'rules', `${code}.md`));
        if (command === SHOW_DOCUMENTATION_COMMAND && /^PAR\d{3}$/.test(code) && fs.existsSync(page)) {
          return commands.executeCommand('markdown.showPreview', Uri.file(page));
        }
        return next(command, args);
      },
    },
  };
  client = new LanguageClient('parallelize', 'Python Parallelize', serverOptions, clientOptions);

  const status = window.createStatusBarItem(StatusBarAlignment.Right, 10);
  status.command = 'parallelize.showOutput';
  let slowUri: string | undefined;
  context.subscriptions.push(
    output,
    status,
    commands.registerCommand('parallelize.restartServer', () => client?.restart()),
    commands.registerCommand('parallelize.showOutput', () => output.show()),
    commands.registerCommand('parallelize.explainLoop', () => commands.executeCommand('editor.action.showHover')),
    commands.registerCommand(APPLY_UNSAFE_FIX_COMMAND, async (title: string, edit: WorkspaceEdit) => {
      const apply = 'Apply';
      if ((await window.showWarningMessage(confirmationMessage(title), { modal: true }, apply)) !== apply) return false;
      return workspace.applyEdit(edit);
    }),
  );
  const started = Date.now();
  await client.start();
  log(`language server ready in ${Date.now() - started} ms`);
  client.onNotification('parallelize/slowAnalysis', ({ uri, milliseconds }: { uri: string; milliseconds: number }) => {
    slowUri = uri;
    status.text = `$(watch) parallelize: ${milliseconds} ms`;
    status.tooltip = 'Loop analysis of the current file exceeded its time budget; click for the output.';
    status.show();
  });
  // the next analysis of that file within budget clears the item
  client.onNotification('parallelize/withinBudget', ({ uri }: { uri: string }) => {
    if (uri !== slowUri) return;
    slowUri = undefined;
    status.hide();
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
