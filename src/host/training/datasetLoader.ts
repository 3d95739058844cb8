/**
 * Turns the data choice the user picked into a DatasetPayload: MNIST, generated data, or the
 * user's own workspace files (CSV, IDX, a folder of PNG images, a text file), asking for the
 * file and, where it matters, the label column. Errors are thrown as user-facing messages
 * that name the file and the expected and found shapes; cancelling a pick returns undefined.
 */
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { csvDataset, parseCsv } from '../../data/csv';
import type { DataChoice, FileTarget, TextSpec } from '../../data/dataSpecs';
import { builtinDataset, fromCorpus } from '../../data/builtinDataset';
import { describeShape, oneHot, product, toPayload } from '../../data/payload';
import { idxDataset, isGzip, parseIdx } from '../../data/idx';
import { corpusFromFile } from '../../data/text';
import type { DatasetPayload } from '../../shared/messages';
import { decodePng, isPng, toChannels } from './png';

/** Caps on what is read from the user's files. */
export const MAX_IDX_SAMPLES = 10000;
export const MAX_IMAGES = 5000;
const FILE_EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}';

function relative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/**
 * A workspace file (or folder) picked from the files matching `include`, or browsed for.
 * Undefined when the user cancels.
 */
async function pickWorkspaceUri(
  include: string,
  title: string,
  folders: boolean,
  filters?: Record<string, string[]>,
): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(include, FILE_EXCLUDE, 2000);
  let candidates: vscode.Uri[] = found;
  if (folders) {
    // A folder of images: each image's folder, and its parent (one sub-folder per class).
    const dirs = new Map<string, vscode.Uri>();
    for (const file of found) {
      const parent = vscode.Uri.joinPath(file, '..');
      dirs.set(parent.toString(), parent);
      const grand = vscode.Uri.joinPath(parent, '..');
      if (vscode.workspace.getWorkspaceFolder(grand)) dirs.set(grand.toString(), grand);
    }
    candidates = [...dirs.values()];
  }
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = candidates
    .map((uri) => ({ label: relative(uri), uri }))
    .sort((a, b) => a.label.localeCompare(b.label))
    .slice(0, 300);
  items.push({ label: '$(folder-opened) Browse…', description: folders ? 'choose a folder' : 'choose a file' });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: title, matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: !folders,
    canSelectFolders: folders,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    title,
    ...(filters ? { filters } : {}),
  });
  return chosen?.[0];
}

async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    throw new Error(`${relative(uri)}: cannot be read (${(error as Error).message}).`, { cause: error });
  }
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder('utf-8').decode(await readBytes(uri));
}

// ---- CSV -------------------------------------------------------------------------------------

async function loadCsv(files: FileTarget): Promise<DatasetPayload | undefined> {
  const uri = await pickWorkspaceUri('**/*.{csv,tsv}', 'CSV file to train on', false, { CSV: ['csv', 'tsv', 'txt'] });
  if (!uri) return undefined;
  const table = parseCsv(await readText(uri), relative(uri));
  let labelColumn: number | undefined;
  const outputSize = files.outputShape ? product(files.outputShape) : 0;
  if (files.outputShape && (outputSize === 1 || files.softmaxClasses !== undefined) && table.columns.length > 2) {
    const last = table.columns.length - 1;
    const order = [last, ...table.columns.map((_, i) => i).filter((i) => i !== last)];
    const picked = await vscode.window.showQuickPick(
      order.map((i) => ({
        label: table.columns[i] ?? `column ${i + 1}`,
        description: i === last ? 'last column' : `column ${i + 1}`,
        index: i,
      })),
      { title: `Which column of ${table.file} is the label?`, placeHolder: 'The other columns are the inputs' },
    );
    if (!picked) return undefined;
    labelColumn = picked.index;
  }
  return csvDataset(table, {
    inputShape: files.inputShape,
    outputShape: files.outputShape,
    ...(files.softmaxClasses !== undefined ? { softmaxClasses: files.softmaxClasses } : {}),
    ...(labelColumn !== undefined ? { labelColumn } : {}),
  });
}

// ---- IDX -------------------------------------------------------------------------------------

async function readIdx(uri: vscode.Uri): Promise<ReturnType<typeof parseIdx>> {
  let bytes = await readBytes(uri);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new Error(`${relative(uri)}: the gzip data is corrupt.`);
    }
  }
  return parseIdx(bytes, relative(uri), MAX_IDX_SAMPLES);
}

/** `train-images-idx3-ubyte(.gz)` → `train-labels-idx1-ubyte(.gz)`, when that file exists. */
async function guessLabels(images: vscode.Uri): Promise<vscode.Uri | undefined> {
  const name = path.posix.basename(images.path);
  const guess = name.replace(/images/i, (m) => (m === 'IMAGES' ? 'LABELS' : 'labels')).replace(/idx3/i, 'idx1');
  if (guess === name) return undefined;
  const uri = vscode.Uri.joinPath(images, '..', guess);
  try {
    await vscode.workspace.fs.stat(uri);
    return uri;
  } catch {
    return undefined;
  }
}

async function loadIdx(files: FileTarget): Promise<DatasetPayload | undefined> {
  const include = '**/*{idx,ubyte}*';
  const imagesUri = await pickWorkspaceUri(include, 'IDX images file (e.g. train-images-idx3-ubyte)', false);
  if (!imagesUri) return undefined;
  const images = await readIdx(imagesUri);
  let labels;
  if (files.outputShape !== null) {
    const labelsUri =
      (await guessLabels(imagesUri)) ?? (await pickWorkspaceUri(include, `IDX labels file for ${relative(imagesUri)}`, false));
    if (!labelsUri) return undefined;
    labels = await readIdx(labelsUri);
  }
  return idxDataset(images, labels, {
    inputShape: files.inputShape,
    outputShape: files.outputShape,
    ...(files.softmaxClasses !== undefined ? { softmaxClasses: files.softmaxClasses } : {}),
  });
}

// ---- a folder of PNG images -----------------------------------------------------------------------

async function pngsIn(folder: vscode.Uri): Promise<{ pngs: vscode.Uri[]; others: number; dirs: string[] }> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const pngs: vscode.Uri[] = [];
  let others = 0;
  const dirs: string[] = [];
  for (const [name, type] of entries) {
    if (type === vscode.FileType.Directory) dirs.push(name);
    else if (/\.png$/i.test(name)) pngs.push(vscode.Uri.joinPath(folder, name));
    else if (/\.(jpe?g|gif|bmp|webp)$/i.test(name)) others++;
  }
  pngs.sort((a, b) => a.path.localeCompare(b.path));
  return { pngs, others, dirs: dirs.sort() };
}

async function loadImages(files: FileTarget): Promise<DatasetPayload | undefined> {
  const folder = await pickWorkspaceUri('**/*.png', 'Folder of PNG images', true);
  if (!folder) return undefined;
  const name = relative(folder);
  const [height, width, channels = 1] = files.inputShape;
  if (!height || !width) throw new Error(`${name}: the model's input [${files.inputShape.join(', ')}] is not an image.`);
  const top = await pngsIn(folder);
  const classes: { name: string; files: vscode.Uri[] }[] = [];
  let skipped = top.others;
  for (const dir of top.dirs) {
    const inner = await pngsIn(vscode.Uri.joinPath(folder, dir));
    skipped += inner.others;
    if (inner.pngs.length > 0) classes.push({ name: dir, files: inner.pngs });
  }
  const classifier = files.outputShape !== null;
  if (classifier && classes.length === 0) {
    throw new Error(
      `${name}: the model is a classifier, so put the images in one sub-folder per class (found ${top.pngs.length} images directly in the folder).`,
    );
  }
  const groups = classifier ? classes : [{ name: '', files: [...top.pngs, ...classes.flatMap((c) => c.files)] }];
  const wanted = files.softmaxClasses ?? (classifier ? 2 : 0);
  if (classifier && classes.length > wanted) {
    throw new Error(
      `${name}: ${classes.length} class folders (${classes
        .slice(0, 6)
        .map((c) => c.name)
        .join(', ')}), but the model predicts ${wanted} classes.`,
    );
  }
  const all = groups.flatMap((g, label) => g.files.map((uri) => ({ uri, label })));
  if (all.length === 0) {
    throw new Error(
      skipped > 0
        ? `${name}: no PNG images (found ${skipped} JPEG/GIF/BMP/WebP files: only PNG can be decoded; convert them to PNG).`
        : `${name}: no PNG images.`,
    );
  }
  // Interleave the classes so that a capped read keeps every class.
  const used = all.length > MAX_IMAGES ? all.filter((_, i) => i % Math.ceil(all.length / MAX_IMAGES) === 0) : all;
  const perSample = height * width * channels;
  const xs = new Float32Array(used.length * perSample);
  const labels = new Int32Array(used.length);
  for (let i = 0; i < used.length; i++) {
    const { uri, label } = used[i] as { uri: vscode.Uri; label: number };
    const bytes = await readBytes(uri);
    if (!isPng(bytes)) throw new Error(`${relative(uri)}: not a PNG file.`);
    const image = decodePng(bytes, relative(uri));
    if (image.width !== width || image.height !== height) {
      throw new Error(
        `${relative(uri)}: the model expects ${height}×${width} images (input [${files.inputShape.join(', ')}]), found ${image.height}×${image.width}.`,
      );
    }
    xs.set(toChannels(image, channels), i * perSample);
    labels[i] = label;
  }
  const n = used.length;
  const dataset = {
    id: `images:${name}`,
    description: `${name}, ${describeShape([n, ...files.inputShape])}${classifier ? `, ${classes.length} classes (${classes.map((c) => c.name).join(', ')})` : ''}`,
    xs,
    xsShape: [n, ...files.inputShape],
    sampleKind: 'image' as const,
  };
  if (!classifier) return toPayload(dataset);
  const outputShape = files.outputShape ?? [1];
  return files.softmaxClasses !== undefined
    ? toPayload({ ...dataset, ys: oneHot(labels, files.softmaxClasses), ysShape: [n, files.softmaxClasses], labels })
    : toPayload({ ...dataset, ys: Float32Array.from(labels), ysShape: [n, ...outputShape], labels });
}

// ---- text ---------------------------------------------------------------------------------------

async function loadTextFile(spec: TextSpec): Promise<DatasetPayload | undefined> {
  const uri = await pickWorkspaceUri('**/*.{txt,tsv,md}', 'Text file to train on', false, { Text: ['txt', 'tsv', 'md'] });
  if (!uri) return undefined;
  return fromCorpus(corpusFromFile(await readText(uri), relative(uri), spec.vocabularySize), spec);
}

// ---- dispatch ---------------------------------------------------------------------------------

/** The dataset for a choice; undefined when the user cancelled a follow-up pick. */
export async function loadDataset(choice: DataChoice): Promise<DatasetPayload | undefined> {
  const builtin = builtinDataset(choice);
  if (builtin !== null) return builtin;
  const spec = choice.spec;
  let dataset: DatasetPayload | undefined;
  switch (spec.source) {
    case 'csv':
      dataset = await loadCsv(spec.files);
      break;
    case 'idx':
      dataset = await loadIdx(spec.files);
      break;
    case 'images':
      dataset = await loadImages(spec.files);
      break;
    case 'text-file':
      dataset = await loadTextFile(spec.as);
      break;
    default:
      throw new Error(`Model Lens cannot load the data "${choice.id}".`);
  }
  if (dataset && choice.inputNoise !== undefined && dataset.inputNoise === undefined) dataset.inputNoise = choice.inputNoise;
  return dataset;
}
