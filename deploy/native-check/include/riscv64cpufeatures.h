/*
 * Stand-in for GraalVM's riscv64cpufeatures.h (com.oracle.svm.native.libchelper), which the Maven artifacts of the
 * builder do not ship. Only the names matter to the native check: the builder asks the C compiler for the layout
 * of the structs and the values of the constants that svm RISCV64LibCHelper.java declares (@CStruct/@CField/@CConstant);
 * the object file is never linked against it. Derived from the svm 25.0.2 sources.
 */
#ifndef PGSTACK_RISCV64_CPUFEATURES_H
#define PGSTACK_RISCV64_CPUFEATURES_H

typedef struct {
    char fI;
    char fM;
    char fA;
    char fF;
    char fD;
    char fC;
    char fV;
} CPUFeatures;

#endif
