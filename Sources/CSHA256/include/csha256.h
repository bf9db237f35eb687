#ifndef JIXIAO_CSHA256_H
#define JIXIAO_CSHA256_H
#include <stddef.h>
#include <stdint.h>

/* SHA-256 block compression with the x86-64 SHA extensions (SHA-NI), for the batch's content hashes.
   The Swift implementation in Pipeline/SHA256.swift is the reference and the fallback. */

/* 1 when this CPU has SHA-NI, SSSE3 and SSE4.1 (checked with cpuid once); 0 elsewhere (and on other
   architectures), where jixiao_sha256_hw_blocks must not be called. */
int jixiao_sha256_hw_available(void);

/* Compresses `blocks` consecutive 64-byte blocks of `data` into `state` (a, b, …, h). */
void jixiao_sha256_hw_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
