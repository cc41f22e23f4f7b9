// The shell: asks for the API key once per tab, and maps #/path?query to a page.
import { apiKey, onKeyChange, setApiKey, releaseImages } from './api.js';
import { clear, errorBox, h } from './dom.js';
import { jobsPage } from './pages/jobs.js';
import { jobPage } from './pages/job.js';
import { submitPage } from './pages/submit.js';
import { experimentsPage } from './pages/experiments.js';
import { experimentPage } from './pages/experiment.js';
import { modelsPage } from './pages/models.js';

const ROUTES = [
  { pattern: /^\/jobs\/([0-9a-fA-F-]{36})$/, nav: 'jobs', page: jobPage },
  { pattern: /^\/jobs$/, nav: 'jobs', page: jobsPage },
  { pattern: /^\/submit$/, nav: 'submit', page: submitPage },
  { pattern: /^\/experiments\/([0-9a-fA-F-]{36})$/, nav: 'experiments', page: experimentPage },
  { pattern: /^\/experiments$/, nav: 'experiments', page: experimentsPage },
  { pattern: /^\/models$/, nav: 'models', page: modelsPage },
];

const main = document.getElementById('main');
const dialog = document.getElementById('key-dialog');
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('key-input');
const keyProblem = document.getElementById('key-problem');
let leaving = [];

/**
 * What a page gets besides its parameters: a way to run something on leaving (stop polling) and a
 * repeating task that stops by itself when the page is left.
 */
function pageContext() {
  const handlers = [];
  leaving = handlers;
  return {
    onLeave: (handler) => handlers.push(handler),
    isCurrent: () => leaving === handlers,
    every(millis, task) {
      let timer = null;
      const tick = async () => {
        if (leaving !== handlers) {
          return;
        }
        const again = await task();
        if (again !== false && leaving === handlers) {
          timer = setTimeout(tick, millis);
        }
      };
      timer = setTimeout(tick, millis);
      handlers.push(() => clearTimeout(timer));
    },
  };
}

async function render() {
  leaving.forEach((handler) => handler());
  releaseImages();
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/jobs';
  const [path, queryText] = hash.split('?');
  const route = ROUTES.find((candidate) => candidate.pattern.test(path));
  document.querySelectorAll('[data-nav]').forEach((link) => {
    if (route && link.dataset.nav === route.nav) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  });
  clear(main);
  const context = pageContext();
  if (!apiKey()) {
    askForKey();
    return;
  }
  if (!route) {
    main.append(h('h1', { tabindex: -1 }, 'Not found'), h('p', {}, `No page at ${path}. `, h('a', { href: '#/jobs' }, 'Jobs')));
    return;
  }
  const params = path.match(route.pattern).slice(1);
  try {
    await route.page(main, { params, query: new URLSearchParams(queryText || ''), context });
  } catch (error) {
    if (context.isCurrent() && error.status !== 401) {
      main.append(errorBox(error));
    }
  }
  const heading = main.querySelector('h1');
  if (heading && context.isCurrent() && !dialog.open) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

function askForKey(problem) {
  keyProblem.hidden = !problem;
  keyProblem.textContent = problem || '';
  keyInput.value = '';
  if (!dialog.open) {
    dialog.showModal();
  }
  keyInput.focus();
}

keyForm.addEventListener('submit', (event) => {
  const key = keyInput.value.trim();
  if (!key) {
    event.preventDefault();
    askForKey('Enter a key.');
    return;
  }
  setApiKey(key);
  render();
});

dialog.addEventListener('cancel', (event) => {
  if (!apiKey()) {
    event.preventDefault(); // nothing can be shown without a key
  }
});

onKeyChange((key, failure) => {
  if (!key && failure) {
    clear(main);
    askForKey(`The API refused the key: ${failure.message}`);
  }
});

document.getElementById('forget-key').addEventListener('click', () => {
  setApiKey(null);
  render();
});

document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault(); // the router owns the hash
  main.focus();
});

window.addEventListener('hashchange', render);
render();
