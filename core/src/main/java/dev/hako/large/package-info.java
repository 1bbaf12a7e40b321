/** Large room: blocks above the largest size class, one mapping each, unmapped on free. */
package dev.hako.large;
