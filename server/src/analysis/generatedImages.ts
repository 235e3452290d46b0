// The images of one image-generation response: an image API (OpenAI's `images/generations`, DALL·E, Seedream,
// Imagen, Stable Diffusion services…) returns as many images as the request asks for (`n`, `num_images`…), and one
// when it asks for no count. A loop over that response's `data` (or `images`, `choices`) saving or downloading each
// image runs once (round 54: six such loops in one image-generation script, none sending a count; round 52: a
// Seedream request with `n=1`).
import type { SyntaxNode } from '../parser';
import { enclosingFunction, lineOf, namedChildren } from '../syntax';
import type { Rejection } from './model';
import { type ModuleInfo, valuesBound } from './scope';
import { PASS_THROUGH } from './workbooks';

/** What a file spells when it asks a service for generated images. */
const IMAGE_GENERATION = /images\/(generations|edits|variations)|\bimages\.(generate|edit|create_variation)\b|text2image|text-to-image|txt2img|image[-_]generation|\bdall-?e|seedream|imagen-|stable-diffusion|\bsdxl\b/i;

/** A count of images asked for, in a payload or as a keyword (`"n": 4`, `n=count`, `num_images=2`). */
const IMAGE_COUNT = /(?:["'](?:n|num_images|number_of_images|num_outputs|sample_count|samples|num_images_per_prompt|batch_size|count)["']\s*:|\b(?:n|num_images|number_of_images|num_outputs|sample_count|samples|num_images_per_prompt|batch_size)\s*=(?!=))\s*([^\s,)}\]]*)/g;

/** Whether the file asks for more than one image somewhere: a count spelled other than `1`. */
function asksForSeveral(text: string): boolean {
  return [...text.matchAll(IMAGE_COUNT)].some((m) => m[1] !== '1');
}

/** Per module: whether it asks a service for generated images and never for more than one (read once per file). */
const oneImageFiles = new WeakMap<ModuleInfo, boolean>();

/** The keys under which such a response lists its images. */
const IMAGE_LISTS = new Set(['data', 'images', 'image_urls', 'choices', 'output', 'artifacts', 'generated_images']);

/** The key (`data` of `result.get("data", [])`, `resp["data"]`, `resp.data`) whose items `node` lists, or null. */
function listedKey(node: SyntaxNode | null, module: ModuleInfo, depth = 0): string | null {
  if (!node || depth > 4) return null;
  switch (node.type) {
    case 'parenthesized_expression':
      return listedKey(node.namedChildren[0] ?? null, module, depth + 1);
    case 'boolean_operator':
      // `result.get("data") or []`
      return node.childForFieldName('operator')?.text === 'or' ? listedKey(node.childForFieldName('left'), module, depth + 1) : null;
    case 'attribute': {
      const key = node.childForFieldName('attribute')?.text ?? '';
      return IMAGE_LISTS.has(key) ? key : null;
    }
    case 'subscript': {
      const key = node.childForFieldName('subscript');
      const text = key?.type === 'string' ? key.text.replace(/^["']|["']$/g, '') : '';
      return IMAGE_LISTS.has(text) ? text : null;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' && args[0]?.type === 'string') {
        const text = args[0].text.replace(/^["']|["']$/g, '');
        return IMAGE_LISTS.has(text) ? text : null;
      }
      if (fn && PASS_THROUGH.has(fn.text) && args[0] && args[0].type !== 'keyword_argument') return listedKey(args[0], module, depth + 1);
      return null;
    }
    case 'identifier': {
      const values = valuesBound(enclosingFunction(node) ?? module.root, node.text);
      return values.length === 1 ? listedKey(values[0], module, depth + 1) : null;
    }
    default:
      return null;
  }
}

/**
 * Why a loop over the images of one image-generation response is not worth a pool, or null: the file asks a service
 * for generated images and never for a count of them, and the loop walks the list such a response holds.
 */
export function generatedImagesRejection(loop: SyntaxNode, iterable: SyntaxNode | null, module: ModuleInfo): Rejection | null {
  let oneImage = oneImageFiles.get(module);
  if (oneImage === undefined) {
    const text = module.root.text;
    oneImage = IMAGE_GENERATION.test(text) && !asksForSeveral(text);
    oneImageFiles.set(module, oneImage);
  }
  if (!oneImage) return null;
  const key = listedKey(iterable, module);
  if (!key) return null;
  return {
    kind: 'not-worth-it',
    line: lineOf(loop),
    message: `the loop walks the \`${key}\` of an image-generation response (\`${iterable!.text.split('\n')[0].slice(0, 40)}\`), and nothing in this file asks the service for more than one image (no count, such as \`n\` or \`num_images\`, other than 1): such a response holds one image, so the loop runs once`,
    remedy: 'nothing to parallelise here; to make several images at once, ask for them in one request (`n=4`) or send the requests concurrently',
  };
}
