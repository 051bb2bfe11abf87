import { Locator, Page } from 'playwright-core';

// Page objects for the VS Code workbench as a user sees it. Every wait is on
// UI state (an element appearing, a text changing), never a fixed sleep, so
// scenarios adapt to a slow extension host.

export const SLOW = 90_000; // activation on 2 cores can take 20-40 s after the workbench shows

export class Workbench {
  constructor(readonly page: Page) {}

  /** Clicks Berth's activity-bar icon and waits for its view container. */
  async openBerth(): Promise<void> {
    const icon = this.page.locator('.activitybar [aria-label^="Berth"]').first();
    await icon.waitFor({ timeout: SLOW });
    if ((await icon.getAttribute('aria-expanded')) !== 'true') await icon.click();
    await this.sectionHeader('Containers').waitFor({ timeout: SLOW });
  }

  sectionHeader(name: string): Locator {
    return this.page.locator(`.pane-header[aria-label="${name} Section"]`);
  }

  /** A view section of the side bar, expanded. */
  async section(name: string): Promise<ViewSection> {
    const header = this.sectionHeader(name);
    await header.waitFor({ timeout: SLOW });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    return new ViewSection(this.page, this.page.locator('.pane').filter({ has: header }));
  }

  /** Runs a command from the palette by its full title ("Berth: Refresh Containers"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    const entry = this.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    await entry.waitFor({ timeout: 10_000 });
    await entry.click();
  }

  /** Waits for a notification toast containing `text`; returns its full text. */
  async notification(text: string | RegExp, timeout = 30_000): Promise<string> {
    const toast = this.page.locator('.notification-toast, .notifications-toasts .notification-list-item').filter({ hasText: text }).first();
    await toast.waitFor({ timeout });
    return (await toast.innerText()).trim();
  }

  /** Clicks a button of the modal dialog (confirmations). */
  async confirmDialog(button: string): Promise<void> {
    const btn = this.page.locator('.monaco-dialog-box .monaco-button').filter({ hasText: button }).first();
    await btn.waitFor({ timeout: 10_000 });
    await btn.click();
  }

  /** The text of the active editor tab's document (monaco view lines). */
  async activeEditorText(): Promise<string> {
    const lines = this.page.locator('.editor-instance .view-lines').first();
    await lines.waitFor({ timeout: 30_000 });
    // Monaco renders spaces as no-break spaces.
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** Waits for an editor tab whose title contains `title`. */
  async editorTab(title: string, timeout = 30_000): Promise<void> {
    await this.page.locator('.tabs-container .tab').filter({ hasText: title }).first().waitFor({ timeout });
  }

  statusBarItem(id: string): Locator {
    return this.page.locator(`.statusbar-item[id$="${id}"]`);
  }

  /** Rows of the Problems panel, as texts (message, source, code, position). */
  async problems(): Promise<string[]> {
    await this.runCommand('View: Focus Problems');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return rows.allInnerTexts();
  }

  /** Waits until a Problems panel row contains `text`; returns all rows. */
  async waitForProblem(text: string | RegExp, timeout = 30_000): Promise<string[]> {
    await this.runCommand('View: Focus Problems');
    await this.page.locator('.markers-panel .monaco-list-row').filter({ hasText: text }).first().waitFor({ timeout });
    return this.page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  }

  /** Opens a workspace file through Quick Open, by its name. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(name);
    const entry = this.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
    await entry.waitFor({ timeout: 15_000 });
    await entry.click();
    await this.editorTab(name);
  }

  /** Puts the cursor on a 1-based line of the active editor (Go to Line). */
  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
  }

  /** Opens the quick-fix menu at the cursor and chooses the action titled `title`. */
  async quickFix(title: string | RegExp): Promise<void> {
    await this.page.keyboard.press('Control+.');
    const item = this.page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
    await item.waitFor({ timeout: 15_000 });
    await item.click();
  }
}

export class ViewSection {
  constructor(
    readonly page: Page,
    readonly pane: Locator,
  ) {}

  rows(): Locator {
    return this.pane.locator('.monaco-list-row');
  }

  /** The row whose label is exactly `label` (waits for it). */
  async row(label: string, timeout = 30_000): Promise<TreeRow> {
    const row = this.rows().filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
    await row.waitFor({ timeout });
    return new TreeRow(this.page, row);
  }

  async waitForNoRow(label: string, timeout = 30_000): Promise<void> {
    await this.rows().filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first().waitFor({ state: 'detached', timeout });
  }

  async labels(): Promise<string[]> {
    return this.pane.locator('.monaco-list-row .label-name').allInnerTexts();
  }

  /** The welcome text shown when the tree is empty. */
  welcome(): Locator {
    return this.pane.locator('.welcome-view-content');
  }

  /** The message line above the tree (Berth puts the precise engine problem there). */
  message(): Locator {
    return this.pane.locator('.message');
  }

  async clickTitleAction(label: string): Promise<void> {
    await this.pane.locator('.pane-header').hover();
    await this.pane.locator(`.pane-header .action-label[aria-label^="${label}"]`).first().click();
  }
}

export class TreeRow {
  constructor(
    readonly page: Page,
    readonly element: Locator,
  ) {}

  /** The codicon id of the row's icon, e.g. "vm-running". */
  async icon(): Promise<string | undefined> {
    const cls = (await this.element.locator('.custom-view-tree-node-item-icon').first().getAttribute('class')) ?? '';
    return cls.match(/codicon-(?!colored\b)([\w-]+)/)?.[1];
  }

  async description(): Promise<string> {
    return (await this.element.locator('.label-description').first().innerText().catch(() => '')).trim();
  }

  async level(): Promise<number> {
    return Number(await this.element.getAttribute('aria-level'));
  }

  async contextMenu(item: string): Promise<void> {
    await this.element.click({ button: 'right' });
    const menu = this.page.locator('.monaco-menu').first();
    const entry = menu.locator('.action-menu-item').filter({ has: this.page.locator(`.action-label[aria-label="${item}"]`) }).first();
    await entry.waitFor({ timeout: 10_000 });
    // The menu animates in; hovering first makes the click land on a settled item.
    await entry.hover();
    await entry.click();
    await menu.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
