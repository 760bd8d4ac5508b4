// Discord's right-click menus on the sandbox page: a dark floating menu at the pointer (kept inside
// the window), items with a submenu ("Apps ›") that opens beside them on hover or click, separators,
// red items for what removes someone, a hint on the right; closed by a click elsewhere, Escape,
// the mouse wheel, or choosing an item. `appsSubmenu` builds the Apps entries a member is shown (the
// sandbox server decides which, by `default_member_permissions`); Discord leaves "Apps" out when
// there are none. `menuHtml` is pure; `createContextMenu` owns the one open menu.
import { escapeHtml } from './render.js';

const CHEVRON =
  '<svg class="menu-chevron" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M9.3 5.3a1 1 0 0 0 0 1.4l5.29 5.3-5.3 5.3a1 1 0 1 0 1.42 1.4l6-6a1 1 0 0 0 0-1.4l-6-6a1 1 0 0 0-1.42 0Z"/></svg>';

/**
 * Items: `{label, id, onSelect?, items?, danger?, hint?, disabled?}` or `{separator: true}`; `id`
 * names the item in the page (`data-menu-item`), e.g. `apps:Ban`.
 */
export function menuHtml(items, path = '') {
  return items
    .map((item, index) => {
      if (item.separator) return '<div class="menu-separator" role="separator"></div>';
      const at = path === '' ? String(index) : `${path}.${index}`;
      const classes = ['menu-item', item.danger ? 'danger' : '', item.items ? 'has-submenu' : '']
        .filter(Boolean)
        .join(' ');
      const hint = item.hint ? `<span class="menu-hint">${escapeHtml(item.hint)}</span>` : '';
      const submenu = item.items
        ? `${CHEVRON}<div class="context-menu submenu" role="menu">${menuHtml(item.items, at)}</div>`
        : '';
      return `<div class="${classes}" role="menuitem" tabindex="-1" data-at="${at}" data-menu-item="${escapeHtml(item.id ?? item.label)}"${item.disabled ? ' aria-disabled="true"' : ''}${item.items ? ' aria-haspopup="menu"' : ''}><span class="menu-label">${escapeHtml(item.label)}</span>${hint}${submenu}</div>`;
    })
    .join('');
}

/** The "Apps" item for `names` (entries the member is shown), or null when there are none. */
export function appsSubmenu(names, onChoose) {
  if (!names || names.length === 0) return null;
  return {
    label: 'Apps',
    id: 'apps',
    items: names.map((name) => ({ label: name, id: `apps:${name}`, onSelect: () => onChoose(name) })),
  };
}

/** Finds the item a `data-at` path ("2.0") names. */
function itemAt(items, at) {
  let list = items;
  let found = null;
  for (const index of at.split('.').map(Number)) {
    found = list?.[index] ?? null;
    list = found?.items;
  }
  return found;
}

export function createContextMenu(doc = document) {
  let root = null;
  let items = [];

  function close() {
    root?.remove();
    root = null;
    items = [];
  }

  const onDocumentDown = (event) => {
    if (root && !root.contains(event.target)) close();
  };
  const onKey = (event) => {
    if (event.key === 'Escape') close();
  };
  doc.addEventListener('mousedown', onDocumentDown, true);
  doc.addEventListener('keydown', onKey);
  // Closed when the member scrolls, not when polling redraws a pane (which scrolls it too).
  doc.addEventListener('wheel', (event) => root && !root.contains(event.target) && close(), true);
  doc.defaultView?.addEventListener('resize', () => close());

  /** Opens `menuItems` at the pointer position of `event` (a contextmenu event). */
  function open(event, menuItems) {
    close();
    if (menuItems.length === 0) return;
    items = menuItems;
    root = doc.createElement('div');
    root.className = 'context-menu';
    root.setAttribute('role', 'menu');
    root.innerHTML = menuHtml(items);
    doc.body.append(root);
    const view = doc.defaultView;
    const { width, height } = root.getBoundingClientRect();
    const x = Math.min(event.clientX, view.innerWidth - width - 8);
    const y = Math.min(event.clientY, view.innerHeight - height - 8);
    root.style.left = `${Math.max(8, x)}px`;
    root.style.top = `${Math.max(8, y)}px`;
    // A submenu opens to the left when there is no room on the right.
    if (x + width * 2 + 16 > view.innerWidth) root.classList.add('submenus-left');
    root.addEventListener('click', (click) => {
      const element = click.target.closest('.menu-item');
      if (!element || element.getAttribute('aria-disabled') === 'true') return;
      const item = itemAt(items, element.dataset.at);
      if (!item) return;
      if (item.items) {
        click.stopPropagation();
        element.classList.toggle('open');
        return;
      }
      close();
      item.onSelect?.();
    });
    root.addEventListener('mouseover', (over) => {
      const element = over.target.closest('.menu-item');
      if (!element) return;
      // Hovering one item of a menu closes its siblings' submenus, as Discord's do.
      for (const sibling of element.parentElement.children) {
        if (sibling !== element) sibling.classList.remove('open');
      }
      if (element.classList.contains('has-submenu')) element.classList.add('open');
    });
  }

  return { open, close, isOpen: () => root !== null };
}
