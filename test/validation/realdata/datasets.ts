/**
 * Real datasets that packages ship and no one here wrote: the npm devDependency vega-datasets (read
 * from node_modules, installed by `npm ci`) and the CSVs Debian's python3-sklearn bundles (cut into
 * fixtures/datasets/real/ by its make.py; licenses in its README.md). Each names the columns the
 * attacks act on; `rowId` adds an increasing `row_id` column the way a pipeline numbers new rows.
 */
import { join } from 'node:path';
import { FIXTURES, ROOT } from '../../helpers/cli.js';
import { loadArrow, loadCsv, loadJsonArray, type Table } from './table.js';

export interface Roles {
  label?: string;
  /** a low-cardinality categorical feature (unseen categories, targeted flips) */
  category?: string;
  /** a numeric feature with no nulls (range, drift, retype, nulls) */
  numeric?: string;
  /** a free-text column (trigger tokens, zero-width characters) */
  text?: string;
  /** a natural identifier column (conflicting copies get a fresh one) */
  id?: string;
}

export interface Dataset {
  name: string;
  /** package, version and file it comes from */
  source: string;
  load(): Table;
  roles: Roles;
  /** clean-batch sizes, smallest first; the rest of the rows (up to `maxBaseline`) is the baseline */
  sizes: number[];
  rowId?: boolean;
  maxBaseline?: number;
}

export const VEGA = join(ROOT, 'node_modules', 'vega-datasets', 'data');
const VEGA_V = 'vega-datasets 3.2.1';
const SK = join(FIXTURES, 'datasets', 'real');
const SK_V = 'Debian python3-sklearn 1.2.1';

const vegaJson = (f: string) => () => loadJsonArray(join(VEGA, f));
const vegaCsv = (f: string) => () => loadCsv(join(VEGA, f));
const sk = (f: string) => () => loadCsv(join(SK, f));

export const DATASETS: Dataset[] = [
  { name: 'penguins', source: `${VEGA_V} data/penguins.json`, load: vegaJson('penguins.json'), roles: { label: 'Species', category: 'Island', numeric: 'Flipper Length (mm)' }, sizes: [100, 150], rowId: true },
  { name: 'cars', source: `${VEGA_V} data/cars.json`, load: vegaJson('cars.json'), roles: { label: 'Origin', category: 'Cylinders', numeric: 'Weight_in_lbs', text: 'Name' }, sizes: [100, 200], rowId: true },
  { name: 'movies', source: `${VEGA_V} data/movies.json`, load: vegaJson('movies.json'), roles: { label: 'MPAA Rating', category: 'Creative Type', numeric: 'Worldwide Gross', text: 'Title' }, sizes: [500, 1000, 1500] },
  { name: 'weather', source: `${VEGA_V} data/weather.csv`, load: vegaCsv('weather.csv'), roles: { label: 'weather', category: 'location', numeric: 'temp_max' }, sizes: [500, 1000] },
  { name: 'gapminder', source: `${VEGA_V} data/gapminder.json`, load: vegaJson('gapminder.json'), roles: { label: 'cluster', category: 'country', numeric: 'life_expect' }, sizes: [200, 300] },
  { name: 'birdstrikes', source: `${VEGA_V} data/birdstrikes.csv`, load: vegaCsv('birdstrikes.csv'), roles: { label: 'Effect Amount of damage', category: 'Phase of flight', numeric: 'Cost Total $', text: 'Aircraft Make Model' }, sizes: [500, 2000, 4000] },
  { name: 'zipcodes', source: `${VEGA_V} data/zipcodes.csv`, load: vegaCsv('zipcodes.csv'), roles: { category: 'state', numeric: 'latitude', text: 'city', id: 'zip_code' }, sizes: [500, 2000, 10000], maxBaseline: 30000 },
  { name: 'airports', source: `${VEGA_V} data/airports.csv`, load: vegaCsv('airports.csv'), roles: { category: 'state', numeric: 'latitude', text: 'name', id: 'iata' }, sizes: [500, 1000] },
  { name: 'flights-200k', source: `${VEGA_V} data/flights-200k.arrow`, load: () => loadArrow(join(VEGA, 'flights-200k.arrow')), roles: { numeric: 'distance' }, sizes: [500, 2000, 10000], maxBaseline: 50000 },
  { name: 'iris', source: `${SK_V} iris.csv`, load: sk('iris.csv'), roles: { label: 'species', numeric: 'sepal length (cm)' }, sizes: [50], rowId: true },
  { name: 'wine', source: `${SK_V} wine_data.csv`, load: sk('wine.csv'), roles: { label: 'cultivar', numeric: 'alcohol' }, sizes: [60], rowId: true },
  { name: 'breast_cancer', source: `${SK_V} breast_cancer.csv`, load: sk('breast_cancer.csv'), roles: { label: 'diagnosis', numeric: 'mean radius' }, sizes: [150, 250], rowId: true },
  { name: 'diabetes', source: `${SK_V} diabetes_data_raw.csv.gz`, load: sk('diabetes.csv'), roles: { numeric: 'bmi' }, sizes: [150], rowId: true },
];

export function dataset(name: string): Dataset {
  const d = DATASETS.find((x) => x.name === name);
  if (!d) throw new Error(`no dataset ${name}`);
  return d;
}
