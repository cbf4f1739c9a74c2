// A remote control for the Microsoft 365 Agents Playground UI in headless Chromium.
//
// The Python end-to-end tests (tests/e2e/) start this script and speak JSON lines with it: one
// command per line on stdin, one answer per line on stdout ({"ok": true, ...} or
// {"ok": false, "error": "..."}). The scenarios themselves live in Python; this file only knows
// how to use the Playground's UI, like a person would: pick a chat or channel, type (and
// @mention), click a card's button, fill a card's input, take a screenshot.
//
// It also listens to the two websockets the UI itself reads (the conversation stream and the log
// stream), so the tests can see exactly what the bot sent: texts, cards, card updates and the
// cards returned by Action.Execute (invoke responses).
//
// usage: node driver.js <playground url>
const readline = require('readline');
const { launch } = require('./browser');

const PG = process.argv[2] || 'http://localhost:56150';
const COMPOSER = '[role="textbox"][data-lexical-editor="true"]';

const state = {
  events: [],        // bot output, in order: {seq, action, conversationId, messageId, text, cards}
  turnsDone: 0,      // inbound activities the bot has answered (the Playground logs them on response)
  invokes: [],       // Action.Execute answers: {seq, conversationId, status, body}
  seq: 0,
};

function cardsOf(message) {
  return (message.attachments || [])
    .filter(a => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map(a => (typeof a.content === 'string' ? JSON.parse(a.content) : a.content));
}

function onFrame(url, payload) {
  let data;
  try { data = JSON.parse(payload); } catch (e) { return; }
  if (data.action === 'createMessage' || data.action === 'updateMessage') {
    const m = data.message || {};
    state.events.push({
      seq: ++state.seq, action: data.action, conversationId: data.actionConversationId,
      messageId: m.messageId, text: m.text || '', cards: cardsOf(m),
    });
  } else if (data.logAction === 'appendLog' && data.log && data.log.from === 'Microsoft 365 Agents Playground') {
    state.turnsDone++;
    if (data.log.activityName === 'invoke' && data.log.response) {
      state.invokes.push({ seq: ++state.seq, conversationId: data.log.conversationId,
        request: (data.log.request || {}).body, status: data.log.response.statusCode, body: data.log.response.body });
    }
  }
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function until(pred, timeout, interval = 100) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const v = await pred();
    if (v) return v;
    await sleep(interval);
  }
  return null;
}

let page, context, browser, blocked;

// The newest (outermost) card on screen that contains `cardText`, or the newest card at all.
const PHONE_CSS = '[role="region"][aria-label="Chat and Teams Channel"] { display: none !important; }';

async function phoneLayout(on) {
  await page.evaluate(([css, on]) => {
    let tag = document.getElementById('e2e-phone');
    if (on && !tag) {
      tag = document.createElement('style');
      tag.id = 'e2e-phone';
      tag.textContent = css;
      document.head.appendChild(tag);
    } else if (!on && tag) {
      tag.remove();
    }
    // The chat pane keeps a desktop minimum width: at phone width it gets the width there is.
    // A card's bubble keeps its desktop width too: it gets the message's width, as in Teams mobile.
    if (on) {
      for (const el of document.querySelectorAll('div')) {
        const min = parseFloat(getComputedStyle(el).minWidth);
        if (min > window.innerWidth) {
          el.dataset.e2eStyle = el.getAttribute('style') || '';
          el.style.minWidth = '0';
        }
      }
      for (const card of document.querySelectorAll('.ac-adaptiveCard')) {
        for (let n = card, i = 0; n && i < 4 && n.getAttribute('role') !== 'group'; n = n.parentElement, i++) {
          if (n.dataset.e2eStyle === undefined) n.dataset.e2eStyle = n.getAttribute('style') || '';
          n.style.width = 'auto';
          n.style.maxWidth = '100%';
          n.style.flexShrink = '1';
        }
      }
    } else {
      for (const el of document.querySelectorAll('[data-e2e-style]')) {
        el.setAttribute('style', el.dataset.e2eStyle);
        delete el.dataset.e2eStyle;
      }
    }
  }, [PHONE_CSS, on]);
}

function newestCard(cardText) {
  let cards = page.locator('.ac-adaptiveCard');
  if (cardText) cards = cards.filter({ hasText: cardText });
  return cards.last();
}

// Wait until the bot has answered `n` more inbound activities than before, then until its output
// has been quiet for `quiet` ms (messages queued during the turn arrive just after it).
async function settle(turnsBefore, { turns = 1, timeout = 20000, quiet = 600 } = {}) {
  const ok = await until(() => state.turnsDone >= turnsBefore + turns, timeout);
  let last = state.seq;
  await until(async () => {
    await sleep(quiet);
    if (state.seq === last) return true;
    last = state.seq;
    return false;
  }, timeout);
  await sleep(200); // let React paint what arrived
  return !!ok;
}

const commands = {
  async open({ hideLog = true }) {
    await page.goto(PG, { waitUntil: 'domcontentloaded' });
    await page.locator(COMPOSER).first().waitFor({ timeout: 30000 });
    if (hideLog) {
      const hide = page.locator('button[title="Hide log panel"]');
      if (await hide.count()) await hide.first().click();
    }
    return {};
  },

  async chat({ name }) {
    const before = state.turnsDone;
    if (state.phone) {  // the list of chats does not fit a phone's width: pick one wide, then back
      await phoneLayout(false);
      await page.setViewportSize({ width: 1400, height: 900 });
    }
    await page.locator(`[role="treeitem"][aria-label="${name}"]`).click();
    if (state.phone) {
      await page.setViewportSize(state.phone);
      await phoneLayout(true);
    }
    await page.locator(COMPOSER).first().waitFor({ timeout: 10000 });
    // opening a team or group chat for the first time installs the bot there (two activities)
    await settle(before, { turns: 0, quiet: 800 });
    return {};
  },

  async send({ text, mention = false, box = 'first', botName = null, expectTurn = true }) {
    const before = state.turnsDone;
    const composer = page.locator(COMPOSER)[box]();
    await composer.click();
    if (mention) {
      await page.keyboard.type('@' + (botName || '').slice(0, 4));
      const item = page.locator('#typeahead-menu [role="menuitem"]', botName ? { hasText: botName } : {});
      await item.first().click();
      await page.keyboard.type(' ');
    }
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    const answered = expectTurn ? await settle(before) : true;
    return { answered };
  },

  // Click a button on the newest card that contains `cardText` (or the newest card at all).
  // Only visible buttons count: a show card's own button ("Opgelost" inside "Opgelost") is there
  // once the show card is open; `last` picks the last visible one (the one inside the show card).
  async click({ button, cardText = null, expectTurn = true, last = false }) {
    const before = state.turnsDone;
    const card = newestCard(cardText);
    await card.waitFor({ timeout: 10000 });
    const buttons = card.locator(`button[title="${button}"]:visible`);
    await buttons.first().waitFor({ timeout: 10000 });
    await (last ? buttons.last() : buttons.first()).click();
    const answered = expectTurn ? await settle(before) : true;
    return { answered };
  },

  // Fill an input on the newest card that contains `cardText`: the `index`-th visible input, or
  // the one whose label contains `label`. A choice list gets the option titled `value`.
  async fill({ value, cardText = null, index = 0, label = null }) {
    const card = newestCard(cardText);
    const input = label
      ? card.getByLabel(label, { exact: false }).locator('visible=true').first()
      : card.locator('input:visible, textarea:visible, select:visible').nth(index);
    await input.waitFor({ timeout: 10000 });
    const kind = await input.evaluate(el => (el.tagName === 'SELECT' ? 'select' : el.getAttribute('role') || ''));
    if (kind === 'select') {
      await input.selectOption({ label: value });
      return {};
    }
    if (kind === 'combobox') {
      // the Playground draws a compact Input.ChoiceSet as a Fluent UI combobox; its list is a popup
      await input.click();
      await page.getByRole('option', { name: value, exact: true }).first().click();
      return {};
    }
    // type like a person (click, then keys): the card's renderer sees every keystroke
    await input.click();
    await input.fill('');
    await page.keyboard.type(value);
    return {};
  },

  // The HTML of the newest card that contains `cardText` (for diagnosing a failed step).
  async card_html({ cardText = null }) {
    return { html: await newestCard(cardText).evaluate(el => el.outerHTML) };
  },

  async wait_text({ text, timeout = 15000 }) {
    try {
      await page.getByText(text, { exact: false }).last().waitFor({ timeout });
      return { found: true };
    } catch (e) {
      return { found: false };
    }
  },

  async settle({ timeout = 20000 }) {
    await settle(state.turnsDone, { turns: 0, timeout });
    return {};
  },

  // The size of the view, like a phone held upright (375 x 812) or a laptop. The Playground has
  // no phone layout (its list of chats would cover the chat), so at phone width the list is
  // hidden, as Teams on a phone shows one conversation at a time.
  async viewport({ width, height, phone = false }) {
    await page.setViewportSize({ width, height });
    state.phone = phone ? { width, height } : null;
    await phoneLayout(phone);
    await sleep(300);
    return {};
  },

  // What does not fit on the newest card containing `cardText` at this width: the titles of
  // buttons whose text is cut off, and whether the card is wider than its space.
  async cut_off({ cardText = null }) {
    if (state.phone) await phoneLayout(true);
    const card = newestCard(cardText);
    await card.waitFor({ timeout: 10000 });
    return await card.evaluate(el => {
      const cut = [];
      for (const button of el.querySelectorAll('button')) {
        if (!button.offsetParent) continue;  // hidden (a closed show card)
        const parts = [button, ...button.querySelectorAll('*')];
        if (parts.some(p => p.scrollWidth > p.clientWidth + 1 && getComputedStyle(p).overflow !== 'visible')) {
          cut.push(button.getAttribute('title') || button.innerText);
        }
      }
      const box = el.getBoundingClientRect();
      return { buttons: cut, too_wide: el.scrollWidth > el.clientWidth + 1 || box.right > window.innerWidth + 1 || box.left < -1 };
    });
  },

  async screenshot({ path, fullPage = false, reveal = null }) {
    if (state.phone) await phoneLayout(true);
    if (reveal) {
      // bring the newest element with this text to the middle of the view (cards are tall)
      const target = page.getByText(reveal, { exact: false }).last();
      if (await target.count()) {
        await target.evaluate(el => el.scrollIntoView({ block: 'center' }));
        await sleep(300);
      }
    }
    await page.screenshot({ path, fullPage });
    return { path };
  },

  async events({ since = 0 }) {
    return { events: state.events.filter(e => e.seq > since), invokes: state.invokes.filter(e => e.seq > since), seq: state.seq };
  },

  async status() {
    return { seq: state.seq, turnsDone: state.turnsDone, blocked: [...new Set(blocked)] };
  },

  async close() {
    await browser.close();
    return {};
  },
};

(async () => {
  ({ browser, context, blocked } = await launch());
  page = await context.newPage();
  page.on('websocket', ws => ws.on('framereceived', f => onFrame(ws.url(), String(f.payload))));
  const out = obj => process.stdout.write(JSON.stringify(obj) + '\n');
  out({ ok: true, ready: true });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let msg;
    try { msg = JSON.parse(line); } catch (e) { out({ ok: false, error: 'bad json' }); continue; }
    const fn = commands[msg.cmd];
    if (!fn) { out({ ok: false, error: `unknown command ${msg.cmd}` }); continue; }
    try {
      out({ ok: true, ...(await fn(msg)) });
    } catch (e) {
      out({ ok: false, error: String(e && e.stack || e) });
    }
    if (msg.cmd === 'close') break;
  }
  process.exit(0);
})().catch(e => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(2); });
