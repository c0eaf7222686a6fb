/** Benchmarks: each measures a figure the project promises, next to a raw baseline measured in the same run. */
package dev.cdc.bench;
