/*
 * PVH entry. QEMU (and Firecracker, Xen) read the XEN_ELFNOTE_PHYS32_ENTRY note, load the ELF
 * segments at their physical addresses and enter here in 32-bit protected mode with paging off and
 * %ebx holding the physical address of the hvm_start_info structure. We read the TSC first (the
 * "boot" timestamp), clear .bss, identity-map the first 4 GiB with 2 MiB pages, enter long mode and
 * call pvh_main(start_info) on the boot stack. mm/paging.c replaces these tables later.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define BOOT_CODE_SELECTOR 0x08
#define BOOT_DATA_SELECTOR 0x10
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE (1 << 0)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define PTE_PRESENT_WRITABLE 0x3
#define PTE_HUGE 0x80
#define BOOT_STACK_SIZE 0x8000

/* 4-byte alignment matters: QEMU pads the note name to the segment's alignment before reading the
 * descriptor, so an 8-aligned note segment would make it read the wrong word. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                         /* name size ("Xen\0") */
    .long 4                         /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .long pvh_start32
    .balign 4

    .section .text.boot, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    cli
    cld
    rdtsc
    mov %eax, %esi
    mov %edx, %ebp

    /* Zero .bss: the loader is not required to. */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb

    mov %esi, boot_tsc
    mov %ebp, boot_tsc + 4
    mov %ebx, boot_start_info

    /* Four page directories of 512 x 2 MiB pages each: identity map of [0, 4 GiB). */
    mov $boot_page_directories, %edi
    mov $(PTE_PRESENT_WRITABLE | PTE_HUGE), %eax
    mov $2048, %ecx
1:  mov %eax, (%edi)
    movl $0, 4(%edi)
    add $0x200000, %eax
    add $8, %edi
    loop 1b

    mov $boot_pdpt, %edi
    mov $(boot_page_directories + PTE_PRESENT_WRITABLE), %eax
    mov $4, %ecx
2:  mov %eax, (%edi)
    movl $0, 4(%edi)
    add $4096, %eax
    add $8, %edi
    loop 2b

    movl $(boot_pdpt + PTE_PRESENT_WRITABLE), boot_pml4
    movl $0, boot_pml4 + 4

    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    lgdt boot_gdt_descriptor
    mov %cr0, %eax
    or $(CR0_PE | CR0_PG), %eax
    mov %eax, %cr0
    ljmp $BOOT_CODE_SELECTOR, $pvh_start64

    .code64
pvh_start64:
    mov $BOOT_DATA_SELECTOR, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    lea boot_stack_top(%rip), %rsp
    xor %ebp, %ebp
    mov boot_start_info(%rip), %edi
    call pvh_main
3:  cli
    hlt
    jmp 3b

    .section .rodata
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff        /* data, DPL 0 */
boot_gdt_end:
boot_gdt_descriptor:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .data
    .balign 8
    .globl boot_tsc
boot_tsc:
    .quad 0
    .globl boot_start_info
boot_start_info:
    .quad 0

    .section .bss
    .balign 4096
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_page_directories:
    .skip 4 * 4096
    /* Unmapped by paging_init, so a kernel stack overflow faults instead of corrupting .bss. */
    .balign 4096
    .globl boot_stack_guard
boot_stack_guard:
    .skip 4096
    .globl boot_stack_bottom
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
