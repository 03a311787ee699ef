/**
 * Renderer entry: creates the API client once and mounts the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api';
import { ApiContext } from './app/api-context';
import { App } from './app/App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ApiContext value={getApi()}>
      <App />
    </ApiContext>
  </StrictMode>,
);
