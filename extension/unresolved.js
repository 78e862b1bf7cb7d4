// Unresolved Activities: the UI is Rust (UnresolvedView), told by the background when items
// change (pages.js); the page may also have been away meanwhile.
import { UnresolvedView } from './pkg/crmsync_ui.js';
import { startPage } from './pages.js';

const currentView = await startPage(UnresolvedView);
window.addEventListener('focus', () => currentView().changed());
