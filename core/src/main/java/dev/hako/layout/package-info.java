/**
 * Layout room: size classes, pages, the page-tag map, the page pool and the per-page block records.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>arena</dt><dd>one reservation of address space (default 64 GiB), {@code PROT_NONE} until committed.</dd>
 *   <dt>segment</dt><dd>the commit unit of the arena (4 MiB): made read-write with one {@code mprotect}.</dd>
 *   <dt>page</dt><dd>64 KiB of the arena: an owner's page of one size class, part of a large block, or free in the
 *       pool; the unit of the tag map.</dd>
 *   <dt>block</dt><dd>what malloc returns: page offset {@code k * size} for {@code k < blocksPerPage}.</dd>
 *   <dt>page tag</dt><dd>{@code int} per page: {@code owner << 8 | code}; code = class + 1, or a large block's
 *       head/body code; 0 = free or never used.</dd>
 *   <dt>pool</dt><dd>the free pages, in runs: dirty (resident) or clean (returned to the kernel).</dd>
 *   <dt>owner</dt><dd>an id 1..maxOwners held by one heap at a time; a page of small blocks belongs to one owner
 *       until it goes back to the pool.</dd>
 *   <dt>heap</dt><dd>what a thread allocates through: the fast paths over one owner's store (a {@code ThreadCache};
 *       the public {@code Heap} is a handle on it).</dd>
 *   <dt>store</dt><dd>what an owner id holds, outliving threads: the bins and the lists of its pages with blocks to
 *       give ({@code CacheStore}).</dd>
 *   <dt>shared heap</dt><dd>a heap used by many threads under a lock ({@code SharedHeap}): virtual threads past
 *       the cap of those with heaps of their own, and platform threads beyond the owner ids.</dd>
 *   <dt>producer</dt><dd>a heap freeing a block it does not own; it sends it towards the owner through the remote-free
 *       strategy ({@code RemoteFree.send}). A heap's producer index is its owner id.</dd>
 *   <dt>bin</dt><dd>a heap's array of free block addresses of one class (never links through the blocks).</dd>
 *   <dt>stash</dt><dd>a remote-free strategy's per-(owner, class) structure where other threads' frees wait.</dd>
 * </dl>
 *
 * <h2>Counting invariant</h2>
 * For every page of small blocks: {@code carved = live + cached + in transit + free in page}, where carved is every
 * block handed from the page to a cache since the page was taken, cached is in some store's bins, in transit is
 * held by the remote-free strategy, free in page is set in the page's bitmap, and live is held by the program.
 * {@code dev.hako.Auditor} checks it, block by block, with no block counted twice, and every page once.
 *
 * <pre>
 *  arena base (64 KiB aligned)
 *  | page 0            | page 1            | page 2 .. 5 (free run) | page 6 (large) | ... frontier -> | unused
 *  | class 3, owner 5  | class 130, owner 5| dirty, in the pool     | large head     |                 |
 *  tags[]: [ 5<<8|4 ,   5<<8|131 , 0, 0, 0, 0, LARGE_HEAD, ... ]
 * </pre>
 */
package dev.hako.layout;
