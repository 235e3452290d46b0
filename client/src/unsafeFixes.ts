// How the editor offers an unsafe fix (one whose title ends in "(unsafe)": the analysis could not prove
// everything the rewrite relies on), after the `parallelize.unsafeFixes` setting, like Ruff's `unsafe-fixes`:
//   "confirm" (default)  offered, never preferred; choosing it asks for confirmation before the edit applies
//   "apply"              offered, never preferred; applied when chosen
//   "hide"               not offered
// No unsafe fix is ever applied without being chosen: the server offers quick fixes only (no source.fixAll).
// Pure (no `vscode` import), so it is tested without an editor.

export type UnsafeFixes = 'confirm' | 'apply' | 'hide';

export const APPLY_UNSAFE_FIX_COMMAND = 'parallelize.applyUnsafeFix';

export interface ActionLike<Edit> {
  title: string;
  edit?: Edit;
  isPreferred?: boolean;
  command?: { title: string; command: string; arguments?: unknown[] };
}

export function isUnsafe(action: { title: string }): boolean {
  return / \(unsafe\)$/.test(action.title);
}

export function unsafeFixesSetting(value: unknown): UnsafeFixes {
  return value === 'apply' || value === 'hide' ? value : 'confirm';
}

/**
 * The code actions as the editor should offer them: unsafe fixes dropped ("hide"), or their edit moved behind
 * a confirming command ("confirm"); never preferred either way. Other actions pass unchanged.
 */
export function gateUnsafeFixes<Edit, A extends ActionLike<Edit>>(actions: A[], mode: UnsafeFixes): A[] {
  const out: A[] = [];
  for (const action of actions) {
    if (!isUnsafe(action) || action.edit === undefined) {
      out.push(action);
      continue;
    }
    if (mode === 'hide') continue;
    action.isPreferred = false;
    if (mode === 'confirm') {
      const edit = action.edit;
      action.edit = undefined;
      action.command = { title: action.title, command: APPLY_UNSAFE_FIX_COMMAND, arguments: [action.title, edit] };
    }
    out.push(action);
  }
  return out;
}

/** The question asked before an unsafe fix applies. */
export function confirmationMessage(title: string): string {
  return `"${title.replace(/ \(unsafe\)$/, '')}" is an unsafe fix: the analysis could not prove that the rewritten code behaves the same (the hover lists what was not proven). Apply it?`;
}
