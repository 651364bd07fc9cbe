// Transparent paging of Element list methods that take startVolumeID/limit (ListVolumes,
// ListActivePairedVolumes, ListVolumesForAccount): Element returns the volumes with
// volumeID >= startVolumeID in ID order, at most `limit` of them (element-api.md §3.1).

/** ListVolumes' documented default and largest page (element-api.md §3.1). */
export const DEFAULT_PAGE_SIZE = 10000;

export interface PageRequest {
  startVolumeID?: number;
  limit: number;
}

/**
 * Reads pages until one comes back shorter than `pageSize`. A cluster that ignores the paging
 * parameters (the docs say ListActivePairedVolumes takes none) would answer the same page again:
 * volumes already seen are dropped, and a page that adds nothing ends the walk instead of looping.
 */
export async function collectPages<T extends { volumeID: number }>(
  fetchPage: (page: PageRequest) => Promise<T[]>,
  pageSize: number,
  firstStart?: number,
): Promise<T[]> {
  const seen = new Set<number>();
  const all: T[] = [];
  let start = firstStart;
  for (;;) {
    const page = await fetchPage(start === undefined ? { limit: pageSize } : { startVolumeID: start, limit: pageSize });
    let highest = start === undefined ? -Infinity : start - 1;
    let added = 0;
    for (const item of page) {
      highest = Math.max(highest, item.volumeID);
      if (seen.has(item.volumeID)) continue;
      seen.add(item.volumeID);
      all.push(item);
      added++;
    }
    if (page.length < pageSize || added === 0) return all;
    start = highest + 1;
  }
}
