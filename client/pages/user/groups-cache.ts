// Group names for post labels, fetched once per group and shared by every list on the page.
import { useEffect, useState } from 'preact/hooks';
import type { Group } from '../../../shared/api';
import { api } from '../../api';

const cache = new Map<string, Promise<Group | null>>();

export function rememberGroup(group: Group): void {
  cache.set(group.id, Promise.resolve(group));
}

export function forgetGroup(id: string): void {
  cache.delete(id);
}

function fetchGroup(id: string): Promise<Group | null> {
  let entry = cache.get(id);
  if (!entry) {
    entry = api.group(id).catch(() => null);
    cache.set(id, entry);
  }
  return entry;
}

export function useGroup(id: string): Group | null {
  const [group, setGroup] = useState<Group | null>(null);
  useEffect(() => {
    let cancelled = false;
    void fetchGroup(id).then((value) => {
      if (!cancelled) setGroup(value);
    });
    return () => {
      cancelled = true;
    };
  }, [id]);
  return group;
}
