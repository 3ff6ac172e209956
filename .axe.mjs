import { chromium } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
const [url, action] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await b.newContext({ viewport: { width: 1440, height: 900 } });
const p = await ctx.newPage();
await p.goto(url);
await p.waitForTimeout(2500);
if (action) { await eval(action); await p.waitForTimeout(2000); }
const r = await new AxeBuilder({ page: p }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
for (const v of r.violations) console.log(v.impact, v.id, v.nodes.length, v.help, '|', v.nodes.slice(0,2).map(n => n.target.join(' ') + ' :: ' + n.failureSummary?.split('\n')[1]).join(' || '));
await b.close();
