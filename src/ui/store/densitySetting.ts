/** The Compact / Detailed switch's choice, kept across visits (compact until the user picks detailed). */
import type { Density } from '../../core/view/layout';
import type { PageEnv } from './environment';

const DENSITY_KEY = 'fusion-inspector.density';

export function savedDensity(env: PageEnv): Density {
  return env.loadSetting(DENSITY_KEY) === 'detailed' ? 'detailed' : 'compact';
}

export function saveDensity(env: PageEnv, density: Density): void {
  env.saveSetting(DENSITY_KEY, density);
}
