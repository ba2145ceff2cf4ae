/** Keeps a crash in one page from blanking the whole app; the shell stays usable. */
import { Alert, Button } from 'antd';
import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    // A chunk that fails to load after a new release is fixed by a reload.
    return (
      <Alert
        type="error"
        showIcon
        title="页面出错了 · This page failed"
        description={this.state.error.message}
        action={<Button onClick={() => window.location.reload()}>重新加载 · Reload</Button>}
      />
    );
  }
}
