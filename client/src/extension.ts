// VS Code side only: start the language server over IPC for Python files, register the commands, show
// slow analyses in the status bar. Nothing else.
import * as path from 'node:path';
import { commands, type ExtensionContext, StatusBarAlignment, window, workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    synchronize: {
      configurationSection: 'parallelize',
      // pyproject.toml holds [tool.parallelize]: re-read it when it changes
      fileEvents: workspace.createFileSystemWatcher('**/pyproject.toml'),
    },
  };
  client = new LanguageClient('parallelize', 'Python Parallelize', serverOptions, clientOptions);

  const status = window.createStatusBarItem(StatusBarAlignment.Right, 10);
  status.command = 'parallelize.showOutput';
  context.subscriptions.push(
    status,
    commands.registerCommand('parallelize.restartServer', () => client?.restart()),
    commands.registerCommand('parallelize.showOutput', () => client?.outputChannel.show()),
    commands.registerCommand('parallelize.explainLoop', () => commands.executeCommand('editor.action.showHover')),
  );
  await client.start();
  client.onNotification('parallelize/slowAnalysis', ({ milliseconds }: { uri: string; milliseconds: number }) => {
    status.text = `$(watch) parallelize: ${milliseconds} ms`;
    status.tooltip = 'Loop analysis of the current file exceeded its time budget; click for the output.';
    status.show();
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
