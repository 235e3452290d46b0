// Pillow images: the calls that decode, resample or encode one are milliseconds of work for a photo (C code that
// lets other threads run), whatever the loop around them shows. `Image.open` alone reads only the header: the work
// is in what is done with the image.
import type { SyntaxNode } from '../parser';
import { enclosingFunction, returnedValues } from '../syntax';
import { importedName, importedNameAt, type ModuleInfo, reachingValue, scopeOf, valuesBound } from './scope';

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
    if (IMAGE_SOURCES.has(importedNameAt(fn.text, node, module) ?? '')) return true;
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

/** The side, in pixels, up to which an image is a thumbnail or a crop: encoding one takes tens of microseconds. */
const SMALL_SIDE = 320;

/**
 * Whether the image an OpenCV call encodes is shown to be small (`cv2.imencode(".jpg", face)`, `cv2.imwrite(p,
 * crop)`): a crop, a thumbnail or a face (a `…crop…()` call, a name saying so) or a resize to a literal size of at
 * most SMALL_SIDE a side. Encoding a photo takes milliseconds; a face crop, a tenth of that
 * (round 48: previews of nine face crops, faces of one frame, each measured far slower in a process pool).
 */
export function smallImage(node: SyntaxNode | null, module: ModuleInfo, depth = 0): boolean {
  if (!node || depth > 4) return false;
  if (node.type === 'identifier') {
    if (/crop|thumb|patch|chip|icon|face/i.test(node.text)) return true;
    const reaching = reachingValue(node);
    if (reaching) return smallImage(reaching, module, depth + 1);
    const fn = enclosingFunction(node);
    if (fn && scopeOf(fn).params.has(node.text)) return false;
    // `aimg, _ = face_align.norm_crop2(img, kps, 112)`: unpacked from what a cropping call gives
    const scope = fn ?? module.root;
    const unpacked = scope.descendantsOfType('assignment').filter((a) => {
      const left = a.childForFieldName('left');
      return (left?.type === 'pattern_list' || left?.type === 'tuple_pattern') && left.namedChildren.some((t) => t.type === 'identifier' && t.text === node.text);
    });
    if (unpacked.length > 0 && unpacked.every((a) => smallImage(a.childForFieldName('right'), module, depth + 1))) return true;
    const values = valuesBound(scope, node.text);
    return values.length > 0 && values.every((v) => v !== null && smallImage(v, module, depth + 1));
  }
  // (a region cut out of an image is not small by itself: a figure cut out of a rasterised page is most of it)
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  const called = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : fn?.text ?? '';
  if (/crop/i.test(called)) return true;
  if (importedName(fn?.text ?? null, module) !== 'cv2.resize') return false;
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  const size = args[1]?.type === 'keyword_argument' ? null : args[1];
  const sides = size?.type === 'tuple' ? size.namedChildren : [];
  // (one side spelled is enough: the other keeps the aspect ratio, `(int(w * scale), 160)`)
  return sides.length === 2 && sides.some((s) => s.type === 'integer' && Number(s.text) <= SMALL_SIDE) && !sides.some((s) => s.type === 'integer' && Number(s.text) > SMALL_SIDE);
}

/** `.resize((64, 64))`: a Pillow image cut down to at most SMALL_SIDE a side. */
function shrunk(node: SyntaxNode): boolean {
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'resize') return false;
  const size = node.childForFieldName('arguments')?.namedChildren.find((a) => a.type !== 'comment');
  const sides = size?.type === 'tuple' ? size.namedChildren : [];
  return sides.length === 2 && sides.every((s) => s.type === 'integer' && Number(s.text) <= SMALL_SIDE);
}

/**
 * Whether `value`, what a worker would hand back for an item, is a whole decoded Pillow image: made here
 * (`Image.open(p).convert("RGB")`) or by a function of this file every `return` of which gives one. Its pixels are
 * megabytes for a photo, which a worker process pickles back to the parent — a copy that costs about what decoding
 * in the worker saved. A crop or a thumbnail is not whole.
 */
export function decodedImage(value: SyntaxNode | null, module: ModuleInfo, depth = 0): boolean {
  if (!value || depth > 2) return false;
  if (isImage(value, module) && !smallImage(value, module) && !shrunk(value)) return true;
  const fn = value.type === 'call' && value.childForFieldName('function')?.type === 'identifier' ? module.functions.get(value.childForFieldName('function')!.text) : undefined;
  if (!fn) return false;
  const returned = returnedValues(fn);
  return returned.length > 0 && returned.every((v) => decodedImage(v, module, depth + 1));
}
