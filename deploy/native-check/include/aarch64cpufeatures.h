/*
 * Stand-in for GraalVM's aarch64cpufeatures.h (com.oracle.svm.native.libchelper), which the Maven artifacts of the
 * builder do not ship. Only the names matter to the native check: the builder asks the C compiler for the layout
 * of the structs and the values of the constants that svm AArch64LibCHelper.java declares (@CStruct/@CField/@CConstant);
 * the object file is never linked against it. Derived from the svm 25.0.2 sources.
 */
#ifndef PGSTACK_AARCH64_CPUFEATURES_H
#define PGSTACK_AARCH64_CPUFEATURES_H

typedef struct {
    char fFP;
    char fASIMD;
    char fEVTSTRM;
    char fAES;
    char fPMULL;
    char fSHA1;
    char fSHA2;
    char fCRC32;
    char fLSE;
    char fDCPOP;
    char fSHA3;
    char fSHA512;
    char fSVE;
    char fSVE2;
    char fSTXR_PREFETCH;
    char fA53MAC;
    char fDMB_ATOMICS;
    char fPACA;
    char fSVEBITPERM;
    char fFPHP;
    char fASIMDHP;
} CPUFeatures;

#endif
