import { render } from 'solid-js/web';
import { App } from './App.js';
import { createAppState } from './state/app-state.js';
import { selectTransport } from './transport/select.js';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  render(() => {
    // Created once inside the root: a JSX prop expression would be re-evaluated on every read.
    const state = createAppState(selectTransport());
    return <App state={state} />;
  }, root);
}
