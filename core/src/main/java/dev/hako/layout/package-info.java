/**
 * Layout room: size classes, pages and the page-tag map.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>arena</dt><dd>one reservation of address space (default 64 GiB), {@code PROT_NONE} until committed.</dd>
 *   <dt>segment</dt><dd>the commit unit of the arena (4 MiB): made read-write with one {@code mprotect}.</dd>
 *   <dt>page</dt><dd>64 KiB of the arena, carved for one (owner, size class); the unit of the tag map.</dd>
 *   <dt>block</dt><dd>what malloc returns: page offset {@code k * size} for {@code k < blocksPerPage}.</dd>
 *   <dt>page tag</dt><dd>{@code int} per page: {@code owner << 8 | (class + 1)}; 0 = not carved.</dd>
 *   <dt>owner</dt><dd>an id 1..maxOwners held by one heap at a time; every page belongs to one owner for life.</dd>
 *   <dt>bin</dt><dd>a heap's array of free block addresses of one class (never links through the blocks).</dd>
 *   <dt>stash</dt><dd>a remote-free strategy's per-(owner, class) structure where other threads' frees wait.</dd>
 * </dl>
 *
 * <h2>Counting invariant</h2>
 * For every carved page: {@code carved = live + cached + remote-pending}, where carved is every block below the
 * page's carving cursor, cached is in some owner store's bins, remote-pending is held by the remote-free
 * strategy, and live is held by the program. {@code dev.hako.Auditor} checks it, block by block, with no
 * block counted twice.
 *
 * <pre>
 *  arena base (64 KiB aligned)
 *  | page 0            | page 1            | ...        carvedEnd -> | uncarved ...
 *  | class 3, owner 5  | class 130, owner 5|                          |
 *  | b0 b1 b2 ... b1023| b0   b1   b2 (tail)|
 *  tags[]: [ 5<<8|4 ,   5<<8|131 ,  ... , 0, 0 ... ]
 * </pre>
 */
package dev.hako.layout;
