// Statistical models fitted once per item: a forecast per series (`ARIMA(series, order=o).fit()`, `Prophet().fit(df)`),
// per order of a grid, per window of a back-test. Each fit is an optimisation over its data, in Python and SciPy
// holding the GIL: CPU work, not "nothing known to be heavy" (round 53: forty fitting loops turned away so). Its cost
// follows the series, milliseconds to seconds, so it is not heavy whatever its input: a loop of fits is a process
// pool's where its count is shown to pay (a grid of 256 orders), not where the count is unknown (the judged sample of
// such findings scored 0.33: back-tests over five months, grids of sixteen one-second fits).
import type { SyntaxNode } from '../parser';
import { enclosingFunction } from '../syntax';
import { importedName, type ModuleInfo, valuesBound } from './scope';

/** Model classes whose `fit` runs an optimisation over the data (not a closed form such as OLS). */
const FITTED_MODELS = new RegExp(
  [
    String.raw`^statsmodels\.(tsa|api)\.(.+\.)?(ARIMA|SARIMAX|ExponentialSmoothing|Holt|SimpleExpSmoothing|UnobservedComponents|VARMAX|DynamicFactor|MarkovRegression|MarkovAutoregression|ETSModel|ThetaModel)$`,
    String.raw`^(prophet|fbprophet)(\.forecaster)?\.Prophet$`,
    String.raw`^neuralprophet\.NeuralProphet$`,
    String.raw`^pmdarima\.(arima\.)?(ARIMA|AutoARIMA)$`,
    String.raw`^sktime\.forecasting\.(.+\.)?(AutoARIMA|ARIMA|AutoETS|ThetaForecaster|Prophet|TBATS|BATS|ExponentialSmoothing|StatsForecastAutoARIMA)$`,
  ].join('|'),
);

/** Methods that fit the model to data. */
const FIT_METHODS = new Set(['fit', 'fit_predict']);

/** The class a model fitted by `call` is made from (`ARIMA` of `ARIMA(y, order=o).fit()`, or of `m = Prophet(); m.fit(df)`), or null. */
export function modelFit(call: SyntaxNode, module: ModuleInfo): string | null {
  const f = call.childForFieldName('function');
  if (f?.type !== 'attribute' || !FIT_METHODS.has(f.childForFieldName('attribute')?.text ?? '')) return null;
  const receiver = f.childForFieldName('object');
  if (!receiver) return null;
  const made = receiver.type === 'call' ? [receiver] : receiver.type === 'identifier' ? valuesBound(enclosingFunction(receiver) ?? module.root, receiver.text) : [];
  if (made.length === 0) return null;
  let found: string | null = null;
  for (const value of made) {
    const maker = value?.type === 'call' ? importedName(value.childForFieldName('function')?.text ?? '', module) : null;
    if (!maker || !FITTED_MODELS.test(maker)) return null;
    found = maker.split('.').pop()!;
  }
  return found;
}

/**
 * Topic models that train when they are made with a corpus (`LdaModel(corpus=bow, num_topics=k, passes=20)`): passes
 * of variational inference over every document, in Python and NumPy holding the GIL — seconds to minutes. gensim's
 * multicore and worker-threaded models (`LdaMulticore`, `Word2Vec`, `FastText`, `Doc2Vec`) already use several cores
 * and are left out (round 65: thirty-nine LDA models, one per topic count, called "no expensive work").
 */
const TRAINED_AT_CONSTRUCTION = /^gensim\.models\.((ldamodel\.)?LdaModel|(lsimodel\.)?LsiModel|(hdpmodel\.)?HdpModel|(atmodel\.)?AuthorTopicModel|(ldaseqmodel\.)?LdaSeqModel)$/;

/** The class of a topic model `call` makes and trains on a corpus (`LdaModel` of `LdaModel(corpus=bow, …)`), or null. */
export function trainedAtConstruction(call: SyntaxNode, module: ModuleInfo): string | null {
  if (call.type !== 'call') return null;
  const maker = importedName(call.childForFieldName('function')?.text ?? '', module);
  if (!maker || !TRAINED_AT_CONSTRUCTION.test(maker)) return null;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment') ?? [];
  const corpus = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'corpus')?.childForFieldName('value') ?? (args[0]?.type !== 'keyword_argument' ? args[0] : undefined);
  return corpus && corpus.type !== 'none' ? maker.split('.').pop()! : null;
}
