import type { ComponentType } from 'react';
import type { IconName } from './components/Icon';
import { ChatView } from './features/chat/ChatView';
import { ConversationList } from './features/chat/ConversationList';
import { HardwareView } from './features/hardware/HardwareView';
import { DiscoverView } from './features/discover/DiscoverView';
import { LibraryView } from './features/library/LibraryView';

export interface ViewEntry {
  /** Also names the navigation entry's test id: `nav-<id>`. */
  id: string;
  label: string;
  icon: IconName;
  View: ComponentType;
  /** Shown in the sidebar under the navigation while this view is open. */
  SidebarSection?: ComponentType;
}

/** The app's views, in navigation order. Adding a view is adding an entry here. */
export const VIEWS = [
  { id: 'chat', label: 'Chat', icon: 'chat', View: ChatView, SidebarSection: ConversationList },
  { id: 'discover', label: 'Discover', icon: 'compass', View: DiscoverView },
  { id: 'library', label: 'Library', icon: 'library', View: LibraryView },
  { id: 'hardware', label: 'Hardware', icon: 'chip', View: HardwareView },
] as const satisfies readonly ViewEntry[];

export type ViewId = (typeof VIEWS)[number]['id'];

export function viewById(id: ViewId): ViewEntry {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
