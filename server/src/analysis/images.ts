// Pillow images: the calls that decode, resample or encode one are milliseconds of work for a photo (C code that
// lets other threads run), whatever the loop around them shows. `Image.open` alone reads only the header: the work
// is in what is done with the image.
import type { SyntaxNode } from '../parser';
import { enclosingFunction } from '../syntax';
import { importedName, type ModuleInfo, reachingValue, scopeOf, valuesBound } from './scope';

/** Functions that give a Pillow image. */
const IMAGE_SOURCES = new Set([
  'PIL.Image.open',
  'PIL.Image.new',
  'PIL.Image.fromarray',
  'PIL.Image.frombytes',
  'PIL.ImageOps.exif_transpose',
  'PIL.ImageOps.fit',
  'PIL.ImageOps.contain',
  'PIL.ImageOps.pad',
  'PIL.ImageOps.grayscale',
  'PIL.ImageOps.expand',
  'PIL.ImageOps.crop',
  'PIL.ImageOps.flip',
  'PIL.ImageOps.mirror',
  'PIL.ImageOps.invert',
  'PIL.ImageOps.autocontrast',
  'PIL.ImageOps.equalize',
  'PIL.ImageOps.posterize',
  'PIL.ImageOps.solarize',
  'PIL.ImageOps.scale',
  'PIL.ImageOps.colorize',
  'PIL.ImageOps.cover',
  'PIL.Image.merge',
  'PIL.Image.blend',
  'PIL.Image.composite',
]);

/** Methods of an image that give another image (and do the work to make it). */
const IMAGE_RESULTS = new Set(['convert', 'resize', 'rotate', 'crop', 'transpose', 'filter', 'copy', 'reduce', 'quantize']);

/** Methods of an image that decode, resample or encode its pixels. */
export const IMAGE_WORK_METHODS = new Set([...IMAGE_RESULTS, 'thumbnail', 'save', 'load', 'getdata', 'tobytes', 'paste', 'histogram', 'getcolors']);

/** Whether `node` is a Pillow image, as the code shows it: made by `Image.open(…)` and the like, or by a method of one. */
export function isImage(node: SyntaxNode | null, module: ModuleInfo, depth = 0): boolean {
  if (!node || depth > 4) return false;
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    if (!fn) return false;
    if (IMAGE_SOURCES.has(importedName(fn.text, module) ?? '')) return true;
    return fn.type === 'attribute' && IMAGE_RESULTS.has(fn.childForFieldName('attribute')?.text ?? '') && isImage(fn.childForFieldName('object'), module, depth + 1);
  }
  if (node.type !== 'identifier') return false;
  // `image = Image.open(p)` then `image = image.resize(…)` then `image = np.asarray(image)`: the value that reaches
  // this use is the one bound by the statement just before it
  const reaching = reachingValue(node);
  if (reaching) return isImage(reaching, module, depth + 1);
  // bound in the enclosing function (or the module) only by `name = …` or `with … as name`, each time to an image
  const fn = enclosingFunction(node);
  if (fn && scopeOf(fn).params.has(node.text)) return false;
  const values = valuesBound(fn ?? module.root, node.text);
  return values.length > 0 && values.every((v) => v !== null && isImage(v, module, depth + 1));
}

/** The method of `call` when it works on a Pillow image's pixels (`img.thumbnail(…)`, `Image.open(p).convert("L")`), or null. */
export function imageWork(call: SyntaxNode, module: ModuleInfo): string | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  return IMAGE_WORK_METHODS.has(method) && isImage(fn.childForFieldName('object'), module) ? method : null;
}

/**
 * Whether `call` renders a matplotlib figure to a file (`fig.savefig(path)`, `plt.savefig(path)`) in a module that
 * imports matplotlib: laying out and rasterising the figure, tens to hundreds of milliseconds in Python and Agg.
 */
export function figureRender(call: SyntaxNode, module: ModuleInfo): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'savefig') return false;
  const qualified = importedName(fn.text, module);
  if (qualified) return qualified === 'matplotlib.pyplot.savefig';
  return [...module.imports.values()].some((m) => m === 'matplotlib' || m.startsWith('matplotlib.') || m === 'seaborn' || m.startsWith('seaborn.'));
}
