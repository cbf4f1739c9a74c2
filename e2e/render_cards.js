// Render Adaptive Cards to PNG with Microsoft's own renderer (npm adaptivecards 3.0.6) in headless
// Chromium, with the Microsoft Teams host config and Teams styles from adaptivecards-designer 2.4.4.
//
// usage: node render_cards.js OUT_DIR CARD.json [CARD.json ...]
//   Each CARD.json is an Adaptive Card (or an attachment {"contentType", "content"}); the PNG gets
//   the same base name. Prints one JSON line per card: {"card", "png", "warnings", "buttons"},
//   where warnings are the renderer's own parse and validation messages. Exit 0 when all cards
//   rendered (warnings included), 2 when something broke.
const fs = require('fs');
const path = require('path');
const { launch } = require('./browser');

const AC_JS = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const AC_CSS = require.resolve('adaptivecards/dist/adaptivecards.css');
const DESIGNER = path.dirname(require.resolve('adaptivecards-designer/package.json'));
const HOST_CONFIG = path.join(DESIGNER, 'lib/hostConfigs/microsoft-teams-light.json');
const TEAMS_CSS = path.join(DESIGNER, 'dist/containers/teams-container-light.css');

// TextBlocks and fact values are markdown in Teams; the renderer shows them raw unless the host
// processes them. This is the subset Teams renders: **bold**, _italic_/*italic*, [links](url),
// "- " and "1. " lists, paragraphs, and backslash escapes ("\*" is a literal "*": people's words
// reach a card that way, see dialogs/plain.py). Without it "**Ja**" would show its asterisks here
// but not in Teams, and a lone "-" would not show the bullet it becomes in Teams.
const TEAMS_MARKDOWN = `
function teamsMarkdown(text, result) {
  const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inline = s => {
    const escaped = [];
    const marked = s.replace(/\\\\([!-\\/:-@\\[-\`{-~])/g, (m, c) => '\\uE000' + (escaped.push(c) - 1) + '\\uE001');
    return esc(marked)
      .replace(/\\*\\*(.+?)\\*\\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*\\w])[*_]([^*_\\s][^*_]*?)[*_](?![*\\w])/g, '$1<em>$2</em>')
      .replace(/\\[([^\\]]+)\\]\\((https?:[^)\\s]+)\\)/g, '<a href="$2">$1</a>')
      .replace(/\\uE000(\\d+)\\uE001/g, (m, i) => esc(escaped[+i]));
  };
  const html = [];
  for (const block of String(text).split(/\\n{2,}/)) {
    const lines = block.split('\\n');
    if (lines.every(l => /^\\s*[-*](\\s|$)/.test(l))) {
      html.push('<ul>' + lines.map(l => '<li>' + inline(l.replace(/^\\s*[-*]\\s*/, '')) + '</li>').join('') + '</ul>');
    } else if (lines.every(l => /^\\s*\\d+\\. /.test(l))) {
      html.push('<ol>' + lines.map(l => '<li>' + inline(l.replace(/^\\s*\\d+\\. /, '')) + '</li>').join('') + '</ol>');
    } else {
      html.push('<p>' + lines.map(inline).join('<br>') + '</p>');
    }
  }
  result.outputHtml = html.join('');
  result.didProcess = true;
}`;

(async () => {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || !files.length) {
    console.error('usage: node render_cards.js OUT_DIR CARD.json [...]');
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const { browser, context } = await launch({ width: 600, height: 800 });
  const page = await context.newPage();
  await page.setContent('<html><body style="margin:0;background:#f5f5f5;font-family:\'Segoe UI\',\'DejaVu Sans\',sans-serif">' +
    '<div id="host" style="width:500px;padding:16px;display:inline-block"></div></body></html>');
  await page.addScriptTag({ path: AC_JS });
  await page.addStyleTag({ path: AC_CSS });
  if (fs.existsSync(TEAMS_CSS)) await page.addStyleTag({ path: TEAMS_CSS });
  // The show-card chevron is a glyph of the FabricMDL2Icons font, which is not installed here (it
  // would draw as an empty box): draw the same chevron with the page's own font.
  await page.addStyleTag({ content: '.ac-pushButton.expandable:after{font-family:inherit;font-size:10px;content:" \\25BE"}' +
    '.ac-pushButton.expandable.expanded:after{content:" \\25B4"}' });
  const hostConfig = JSON.parse(fs.readFileSync(HOST_CONFIG, 'utf8'));
  await page.addScriptTag({ content: TEAMS_MARKDOWN });
  for (const file of files) {
    let json = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (json.contentType && json.content) json = json.content;
    const result = await page.evaluate(({ json, hostConfig }) => {
      const AC = window.AdaptiveCards;
      AC.AdaptiveCard.onProcessMarkdown = teamsMarkdown;
      const host = document.getElementById('host');
      host.innerHTML = '';
      const card = new AC.AdaptiveCard();
      card.hostConfig = new AC.HostConfig(hostConfig);
      const ctx = new AC.SerializationContext();
      card.parse(json, ctx);
      const warnings = [];
      for (let i = 0; i < ctx.eventCount; i++) {
        const e = ctx.getEventAt(i);
        warnings.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
      }
      for (const e of card.validateProperties().validationEvents) warnings.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
      const element = card.render();
      const wrap = document.createElement('div');
      wrap.className = 'teams-card';
      wrap.style.cssText = 'background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.2)';
      wrap.appendChild(element);
      host.appendChild(wrap);
      return { warnings, buttons: [...element.querySelectorAll('button')].map(b => b.textContent) };
    }, { json, hostConfig });
    const png = path.join(outDir, path.basename(file).replace(/\.json$/, '') + '.png');
    await page.locator('#host').screenshot({ path: png });
    console.log(JSON.stringify({ card: file, png, ...result }));
  }
  await browser.close();
})().catch(e => { console.error(e && e.stack || e); process.exit(2); });
