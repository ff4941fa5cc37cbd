// Entry of both pages (index.html and csp.html). robustreg is imported exactly as an application
// would import it from npm: no alias, no plugin, no bundler configuration.
import './style.css';
import { start } from './app.js';

start(document.getElementById('app')).catch((e) => {
  const app = document.getElementById('app');
  app.insertAdjacentHTML('afterbegin', '<p class="fatal" role="alert"></p>');
  app.querySelector('.fatal').textContent = `The demo failed to start: ${e?.message ?? e}`;
  throw e;
});
